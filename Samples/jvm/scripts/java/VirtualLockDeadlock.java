import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

// JDK 21+: two virtual threads transfer between two accounts guarded by
// ReentrantLocks, taking them in opposite orders: each holds one lock and
// parks waiting for the other. Parked virtual threads are unmounted, so
// jstack shows neither; Thread.dump_to_file shows both.
public class VirtualLockDeadlock {
    static final class Account {
        final String name;
        final ReentrantLock lock = new ReentrantLock();
        long balance = 100;
        Account(String name) { this.name = name; }
    }

    static final CountDownLatch BOTH_LOCKED = new CountDownLatch(2);

    static void transfer(Account from, Account to, long amount) throws InterruptedException {
        from.lock.lock();
        try {
            BOTH_LOCKED.countDown();
            BOTH_LOCKED.await();
            to.lock.lock();
            try {
                from.balance -= amount;
                to.balance += amount;
            } finally {
                to.lock.unlock();
            }
        } finally {
            from.lock.unlock();
        }
    }

    public static void main(String[] args) throws Exception {
        Account a = new Account("A"), b = new Account("B");
        Thread.ofVirtual().name("transfer-A-to-B").start(() -> { try { transfer(a, b, 10); } catch (InterruptedException e) { } });
        Thread.ofVirtual().name("transfer-B-to-A").start(() -> { try { transfer(b, a, 20); } catch (InterruptedException e) { } });
        for (int i = 0; i < 20; i++) {
            Thread.ofVirtual().name("reader-" + i).start(() -> {
                try { while (true) Thread.sleep(10_000); } catch (InterruptedException e) { }
            });
        }
        System.out.println("transfers started");
        Thread.sleep(3_600_000);
    }
}
