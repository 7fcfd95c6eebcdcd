// JDK 21+: a virtual-thread service whose request handlers hash a large input
// in a tight loop. With two carriers (jdk.virtualThreadScheduler.parallelism=2)
// the first two handlers occupy both carriers and never yield; every other
// virtual thread is ready to run and waits for a carrier.
public class CarrierStarvation {
    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 12; i++) {
            final int request = i;
            Thread.ofVirtual().name("request-" + request).start(() -> handle(request));
        }
        System.out.println("12 requests started");
        Thread.sleep(3_600_000);
    }

    static void handle(int request) {
        long h = request;
        while (true) {
            h = h * 31 + 7; // CPU-bound: no blocking call, so the carrier is never released
            if (h == 42) System.out.println(h);
        }
    }
}
