import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

// A request pool whose price cache refreshes itself inside its own monitor and
// sleeps there (a slow backend simulated by a sleep): every other request
// blocks on the cache while the refreshing thread holds it.
public class SlowCache {
    static final class PriceCache {
        private long version;

        synchronized long price(String sku) { return sku.hashCode() + version; }

        synchronized void refresh() throws InterruptedException {
            System.out.println("cache refresh started by " + Thread.currentThread().getName());
            Thread.sleep(120_000); // the backend call that never returns in time
            version++;
        }
    }

    public static void main(String[] args) throws Exception {
        PriceCache cache = new PriceCache();
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8, r -> new Thread(r, "http-nio-8080-exec-" + n.incrementAndGet()));
        pool.submit(() -> { cache.refresh(); return null; });
        Thread.sleep(200);
        for (int i = 0; i < 7; i++) {
            final String sku = "sku-" + i;
            pool.submit(() -> System.out.println(sku + " " + cache.price(sku)));
        }
        System.out.println("requests submitted");
        Thread.sleep(600_000);
    }
}
