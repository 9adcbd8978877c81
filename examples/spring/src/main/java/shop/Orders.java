package shop;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The shop's own record of its orders (a database table in a real shop).
 * The amount is the shop's, set when the order is placed, never taken from
 * a notification.
 */
@Component
public class Orders {
    /** One order. `transactionId` is set once, when it is paid. */
    public record Order(String outTradeNo, String openid, long totalFee, String transactionId) {}

    private final Map<String, Order> orders = new ConcurrentHashMap<>();

    public void place(Order order) {
        orders.put(order.outTradeNo(), order);
    }

    public Optional<Order> find(String outTradeNo) {
        return Optional.ofNullable(orders.get(outTradeNo));
    }

    /** Marks an order paid exactly once (an UPDATE … WHERE transaction_id IS NULL in SQL). */
    public void markPaid(String outTradeNo, String transactionId) {
        orders.computeIfPresent(outTradeNo, (k, o) -> o.transactionId() != null ? o
            : new Order(o.outTradeNo(), o.openid(), o.totalFee(), transactionId));
    }
}
