// Two writers take the same two monitors in opposite order: a Java-level deadlock.
public class MonitorDeadlock {
    static final class OrderTable {}
    static final class InventoryTable {}

    static final OrderTable orders = new OrderTable();
    static final InventoryTable inventory = new InventoryTable();

    public static void main(String[] args) throws Exception {
        Thread a = new Thread(() -> {
            synchronized (orders) {
                pause(300);
                synchronized (inventory) { System.out.println("order written"); }
            }
        }, "order-writer");
        Thread b = new Thread(() -> {
            synchronized (inventory) {
                pause(300);
                synchronized (orders) { System.out.println("inventory written"); }
            }
        }, "inventory-writer");
        a.start();
        b.start();
        System.out.println("writers started");
        a.join();
    }

    static void pause(long ms) {
        try { Thread.sleep(ms); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
    }
}
