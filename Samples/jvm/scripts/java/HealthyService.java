import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

// A healthy service: an HTTP server on loopback with a small worker pool, a
// scheduled health probe that calls it, and a background job doing short bits of
// work. Nothing waits for long on anything.
public class HealthyService {
    public static void main(String[] args) throws Exception {
        AtomicInteger n = new AtomicInteger();
        ExecutorService handlers = Executors.newFixedThreadPool(4, r -> new Thread(r, "http-handler-" + n.incrementAndGet()));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        AtomicLong served = new AtomicLong();
        server.createContext("/health", exchange -> {
            byte[] body = ("ok " + served.incrementAndGet()).getBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) { out.write(body); }
        });
        server.setExecutor(handlers);
        server.start();
        int port = server.getAddress().getPort();
        HttpClient client = HttpClient.newHttpClient();
        ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "health-probe"));
        probes.scheduleAtFixedRate(() -> {
            try {
                HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) System.out.println("probe: " + response.statusCode());
            } catch (Exception e) {
                System.out.println("probe failed: " + e);
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
        ExecutorService jobs = Executors.newFixedThreadPool(2, r -> new Thread(r, "report-job-" + n.incrementAndGet()));
        for (int i = 0; i < 2; i++) {
            jobs.submit(() -> {
                long sum = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    for (int k = 0; k < 50_000; k++) sum += k % 7;
                    try { Thread.sleep(100); } catch (InterruptedException e) { return; }
                }
                System.out.println(sum);
            });
        }
        System.out.println("healthy service listening on 127.0.0.1:" + port);
        Thread.sleep(3_600_000);
    }
}
