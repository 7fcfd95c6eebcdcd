import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

// JDK 21+: a healthy virtual-thread service. 200 connection handlers wait for
// work on a queue, 100 pollers sleep between polls, 4 dispatchers feed the
// queue now and then, and a few handlers sleep inside synchronized (which on
// JDK 24+ unmounts the virtual thread, JEP 491). Nothing is stuck: the
// carriers are free between bursts of work.
public class VirtualHealthy {
    static final BlockingQueue<Integer> WORK = new LinkedBlockingQueue<>();
    static final Object AUDIT = new Object();
    static final ReentrantLock STATS = new ReentrantLock();
    static long handled;

    public static void main(String[] args) throws Exception {
        var executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("handler-", 0).factory());
        for (int i = 0; i < 200; i++) {
            executor.submit(() -> {
                while (true) {
                    int job = WORK.take();
                    STATS.lock();
                    try { handled += job; } finally { STATS.unlock(); }
                    if (job % 50 == 0) {
                        synchronized (AUDIT) { Thread.sleep(5); }
                    }
                }
            });
        }
        for (int i = 0; i < 100; i++) {
            Thread.ofVirtual().name("poller-" + i).start(() -> {
                try {
                    while (true) Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        for (int i = 0; i < 4; i++) {
            final int d = i;
            Thread.ofVirtual().name("dispatcher-" + d).start(() -> {
                int n = d;
                try {
                    while (true) {
                        WORK.put(n++);
                        Thread.sleep(20);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        System.out.println("healthy virtual-thread service running");
        Thread.sleep(3_600_000);
    }
}
