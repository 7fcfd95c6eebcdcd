import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

// A fixed pool of four report workers; every report task splits its work into a
// part it submits to the same pool and waits for. With four reports running,
// all four workers wait for parts that sit in the queue behind them.
public class StarvedPool {
    public static void main(String[] args) throws Exception {
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "report-worker-" + n.incrementAndGet()));
        List<Future<Integer>> reports = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            final int report = i;
            reports.add(pool.submit(() -> {
                Future<Integer> part = pool.submit(() -> report * 2);
                System.out.println("report " + report + " waits for its part");
                return part.get() + 1;
            }));
        }
        System.out.println("4 reports submitted");
        for (Future<Integer> f : reports) System.out.println("report done: " + f.get());
    }
}
