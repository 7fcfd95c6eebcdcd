import java.util.concurrent.CountDownLatch;

// JDK 24+: synchronized no longer pins a virtual thread (JEP 491), but a class
// initializer and a native frame still do. With two carriers
// (jdk.virtualThreadScheduler.parallelism=2, maxPoolSize=2), one virtual
// thread blocks inside PriceTable.<clinit> (it waits for a feed that never
// comes) and another blocks in a Java callback made from a JNI method: both
// stay mounted, both carriers are occupied, and every other request (ten
// virtual threads ready to run) waits for a carrier that never frees up.
public class PinnedCarriers {
    static final CountDownLatch FEED = new CountDownLatch(1);

    static class PriceTable {
        static final long[] PRICES = load();
        static long[] load() {
            try {
                FEED.await(); // blocks inside the class initializer: pinned
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new long[16];
        }
        static long price(int item) { return PRICES[item % 16]; }
    }

    static native void withNativeFrame(Runnable callback);

    public static void main(String[] args) throws Exception {
        System.loadLibrary("flnative");
        Thread.ofVirtual().name("price-loader").start(() -> System.out.println(PriceTable.price(1)));
        Thread.sleep(300);
        Thread.ofVirtual().name("legacy-codec").start(() -> withNativeFrame(() -> {
            try {
                FEED.await(); // blocks under a native frame: pinned
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        Thread.sleep(300);
        for (int i = 0; i < 10; i++) {
            final int request = i;
            Thread.ofVirtual().name("request-" + request).start(() -> System.out.println("request " + request + " done"));
        }
        System.out.println("10 requests started");
        Thread.sleep(3_600_000);
    }
}
