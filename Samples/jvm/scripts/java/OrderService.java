import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

// An order service: four workers each take the next order and ask the inventory
// service for stock. They resolve the inventory host themselves (client-side load
// balancing over its replicas), then connect to one. When the resolver never
// answers, every worker sits in the lookup.
public class OrderService {
    static final String INVENTORY = "inventory.fl-jvm.internal";
    static final AtomicInteger orders = new AtomicInteger(100);

    static void log(String level, String message) {
        System.out.println(Instant.now() + " " + level + " [" + Thread.currentThread().getName() + "] " + message);
    }

    public static void main(String[] args) throws Exception {
        // Do not cache failed lookups: retry the resolver on every order (a common production setting).
        java.security.Security.setProperty("networkaddress.cache.negative.ttl", "0");
        AtomicInteger n = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(4, r -> new Thread(r, "order-worker-" + n.incrementAndGet()));
        log("INFO", "order service started, inventory at http://" + INVENTORY + ":8080/stock");
        for (int i = 0; i < 4; i++) workers.submit(OrderService::work);
        Thread.sleep(3_600_000);
    }

    static void work() {
        while (true) {
            int order = orders.incrementAndGet();
            log("INFO", "order " + order + ": resolving " + INVENTORY);
            try {
                InetAddress[] replicas = InetAddress.getAllByName(INVENTORY);
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(replicas[0], 8080), 2000);
                    log("INFO", "order " + order + ": stock checked");
                }
            } catch (IOException e) {
                log("WARN", "order " + order + " failed: " + e);
                try { Thread.sleep(500); } catch (InterruptedException ie) { return; }
            }
        }
    }
}
