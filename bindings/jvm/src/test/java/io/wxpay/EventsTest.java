package io.wxpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A token store that is down reaches the application's logging and the health call. */
class EventsTest {
    @Test
    void aStoreThatIsDownIsLoggedOnceAndShowsInTheHealthCall() throws Exception {
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override public synchronized void publish(LogRecord r) { records.add(r); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        Logger logger = Logger.getLogger("wxpay");
        logger.addHandler(handler);
        try (Sim sim = new Sim();
             WxPayClient client = new WxPayClient(sim.options("token_store", "redis://127.0.0.1:1/0"))) {
            assertEquals(Map.of("store", "redis", "healthy", true), withoutError(client.tokenStoreHealth()));
            String token = client.accessToken();
            assertEquals(token, client.accessToken(), "a store down never fails the call");
            List<LogRecord> down = new ArrayList<>();
            synchronized (handler) {
                for (LogRecord r : records) if (r.getMessage().contains("[token_store_down")) down.add(r);
            }
            assertEquals(1, down.size(), "said once: " + records);
            assertEquals(Level.WARNING, down.get(0).getLevel());
            assertTrue(down.get(0).getMessage().contains("key=wxpay:" + Sim.APPID + ":access_token"), down.get(0).getMessage());
            Map<String, Object> health = client.tokenStoreHealth();
            assertFalse((Boolean) health.get("healthy"));
            assertTrue(((String) health.get("error")).contains("token store"), health.toString());
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void atFineEachCallIsOneLineAndARefusedNotificationIsAWarning() throws Exception {
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override public synchronized void publish(LogRecord r) { records.add(r); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        handler.setLevel(Level.ALL);
        Logger logger = Logger.getLogger("wxpay");
        Level before = logger.getLevel();
        logger.addHandler(handler);
        try (Sim sim = new Sim(); WxPayClient client = new WxPayClient(sim.options())) {
            assertThrows(WxPayException.class, () -> client.queryOrder("jvm-events-none"));
            assertTrue(lines(handler, records, "[call ").isEmpty(), "INFO to start: no call lines " + records);
            logger.setLevel(Level.FINE);
            assertThrows(WxPayException.class, () -> client.queryOrder("jvm-events-none"));
            List<LogRecord> calls = lines(handler, records, "[call ");
            assertEquals(1, calls.size(), records.toString());
            assertEquals(Level.FINE, calls.get(0).getLevel());
            String call = calls.get(0).getMessage();
            assertTrue(call.contains("operation=query_order") && call.contains("err_code=ORDERNOTEXIST"), call);
            NotifyDecision decision = client.handlePaymentNotify(
                "<xml><return_code>SUCCESS</return_code></xml>".getBytes(), no -> null);
            assertEquals("refused", decision.getStatus());
            List<LogRecord> refused = lines(handler, records, "[notify_refused ");
            assertEquals(1, refused.size(), records.toString());
            assertEquals(Level.WARNING, refused.get(0).getLevel());
            assertFalse(refused.get(0).getMessage().contains(Sim.API_KEY));
            logger.setLevel(before);
            synchronized (handler) { records.clear(); }
            assertThrows(WxPayException.class, () -> client.queryOrder("jvm-events-none"));
            assertTrue(lines(handler, records, "[call ").isEmpty(), "back at INFO: " + records);
        } finally {
            logger.setLevel(before);
            logger.removeHandler(handler);
        }
    }

    private static List<LogRecord> lines(Handler handler, List<LogRecord> records, String tag) {
        List<LogRecord> found = new ArrayList<>();
        synchronized (handler) {
            for (LogRecord r : records) if (r.getMessage().contains(tag)) found.add(r);
        }
        return found;
    }

    private static Map<String, Object> withoutError(Map<String, Object> health) {
        assertEquals(null, health.get("error"));
        return Map.of("store", health.get("store"), "healthy", health.get("healthy"));
    }
}
