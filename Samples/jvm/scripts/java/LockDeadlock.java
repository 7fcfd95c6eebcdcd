import java.util.concurrent.locks.ReentrantLock;

// Two transfers lock two accounts' ReentrantLocks in opposite order: a deadlock
// only visible through parking and "Locked ownable synchronizers" (jstack -l).
public class LockDeadlock {
    static final class Account {
        final String id;
        final ReentrantLock lock = new ReentrantLock();
        long balance = 100;
        Account(String id) { this.id = id; }
    }

    public static void main(String[] args) throws Exception {
        Account a = new Account("A");
        Account b = new Account("B");
        Thread t1 = new Thread(() -> transfer(a, b, 10), "transfer-A-to-B");
        Thread t2 = new Thread(() -> transfer(b, a, 20), "transfer-B-to-A");
        t1.start();
        t2.start();
        System.out.println("transfers started");
        t1.join();
    }

    static void transfer(Account from, Account to, long amount) {
        from.lock.lock();
        try {
            pause(300);
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

    static void pause(long ms) {
        try { Thread.sleep(ms); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
    }
}
