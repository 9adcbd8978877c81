package io.wxpay;

import static io.wxpay.Vectors.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * tests/vectors/security/decisions.json from Java: every reply that becomes
 * a shop decision, given a signed answer about something else by the
 * simulator's forge fault, is compared field by field (docs/security.md §8).
 * And the counter's waits that are not numbers in range are refused by name.
 */
class DecisionsTest {
    /** Whether [got] holds every key of [want] with the same value, nested maps too. */
    static boolean holds(Object got, Object want) {
        if (!(want instanceof Map<?, ?> w)) return java.util.Objects.equals(got, want);
        if (!(got instanceof Map<?, ?> g)) return false;
        for (Map.Entry<?, ?> e : w.entrySet()) {
            if (!g.containsKey(e.getKey()) || !holds(g.get(e.getKey()), e.getValue())) return false;
        }
        return true;
    }

    static Map<String, Object> details(WxPayException e) {
        Map<String, Object> d = new HashMap<>();
        d.put("kind", e.getKind());
        d.put("field", e.getField());
        d.put("retryable", e.isRetryable());
        return d;
    }

    static void setUp(Sim sim, WxPayClient client, Map<String, Object> c, String no, Map<String, Object> sub)
            throws Exception {
        String setup = (String) c.get("setup");
        if (setup.equals("micropaid")) {
            Map<String, Object> pay = new HashMap<>(Map.of("body", "counter", "out_trade_no", no,
                "total_fee", c.get("setup_fee"), "spbill_create_ip", "127.0.0.1", "auth_code", "134567890123450000"));
            pay.putAll(sub);
            assertEquals("paid", client.micropay(pay).get("status"));
        } else if (!setup.equals("none")) {
            Map<String, Object> order = new HashMap<>(Map.of("body", "decision", "out_trade_no", no, "total_fee", 990,
                "spbill_create_ip", "127.0.0.1", "openid", Sim.OPENID, "notify_url", "http://127.0.0.1:9/notify"));
            order.putAll(sub);
            Map<String, Object> placed = client.unifiedOrder(order);
            if (setup.equals("placed_5_minutes_ago")) {
                Thread.sleep(350); // five minutes at the tests' time scale of 1/1000
            } else {
                Object paid = map(sim.post("/sim/jsapi/pay", client.call("jsapi_params",
                    merged(Map.of("prepay_id", placed.get("prepay_id")), sub)))).get("err_msg");
                assertEquals("get_brand_wcpay_request:ok", paid);
            }
            if (setup.equals("refunded")) {
                client.refund(merged(Map.of("out_trade_no", no, "out_refund_no", no + "-r", "total_fee", 990,
                    "refund_fee", 990), sub));
            }
        }
    }

    static Map<String, Object> merged(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> m = new HashMap<>(a);
        m.putAll(b);
        return m;
    }

    @Test
    void everyDecisionComparesWhatItMust() throws Exception {
        List<Map<String, Object>> cases = Vectors.cases("security/decisions.json");
        assertTrue(cases.size() >= 20);
        List<String> wrong = new ArrayList<>();
        try (Sim sim = new Sim("--instant-bills")) {
            for (int i = 0; i < cases.size(); i++) {
                Map<String, Object> c = cases.get(i);
                String no = String.format("jvm-decision-%04d", i);
                Map<String, Object> options = "provider".equals(c.get("merchant")) ? sim.providerOptions() : sim.options();
                options.putAll(Map.of("sign_type", "HMAC-SHA256", "retries", 1, "retry_backoff", 0.01));
                Map<String, Object> sub = c.get("sub_mch_id") == null ? Map.of() : Map.of("sub_mch_id", c.get("sub_mch_id"));
                try (WxPayClient client = new WxPayClient(options)) {
                    setUp(sim, client, c, no, sub);
                    sim.post("/sim/faults", c.get("faults"));
                    Map<String, Object> args = map(Json.read(Json.write(c.get("args")).replace("{no}", no)));
                    Object result = null;
                    Map<String, Object> error = null;
                    try {
                        if ("settle_payment_notify".equals(c.get("operation"))) {
                            String body = null;
                            for (Object n : (List<?>) Json.read(sim.send("GET", "/sim/notifications", null).body())) {
                                Map<String, Object> note = map(n);
                                if ("payment".equals(note.get("kind")) && no.equals(note.get("out_trade_no"))) {
                                    body = (String) note.get("body");
                                }
                            }
                            NotifyDecision d = client.settlePaymentNotify(body.getBytes(StandardCharsets.UTF_8),
                                map(args.get("order")));
                            Map<String, Object> r = new HashMap<>(d.getFields());
                            r.put("error", d.getError() == null ? null : details(d.getError()));
                            result = r;
                        } else {
                            result = client.call((String) c.get("operation"), merged(args, sub));
                        }
                    } catch (WxPayException e) {
                        error = details(e);
                    } finally {
                        sim.send("DELETE", "/sim/faults", null);
                    }
                    Map<String, Object> expect = map(c.get("expect"));
                    boolean ok = expect.containsKey("error")
                        ? error != null && holds(error, expect.get("error"))
                        : error == null && holds(result, expect.get("result"));
                    if (!ok) wrong.add(c.get("name") + ": " + (error != null ? error : result));
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void waitsAndTimeoutsThatAreNotNumbersInRangeAreRefusedByName() throws Exception {
        try (Sim sim = new Sim()) {
            try (WxPayClient client = new WxPayClient(sim.options())) {
                Object[][] bad = {{"give_up_after", Double.POSITIVE_INFINITY}, {"query_every", Double.NaN},
                    {"first_query_after", Double.NEGATIVE_INFINITY}, {"give_up_after", 601}, {"max_reverses", 0},
                    {"max_reverses", Double.NaN}};
                for (Object[] b : bad) {
                    Map<String, Object> pay = new HashMap<>(Map.of("body", "b", "out_trade_no", "jvm-counter-nan",
                        "total_fee", 1, "spbill_create_ip", "127.0.0.1", "auth_code", "134567890123450000"));
                    pay.put((String) b[0], b[1]);
                    WxPayException e = org.junit.jupiter.api.Assertions.assertThrows(WxPayException.class,
                        () -> client.micropay(pay));
                    assertEquals(List.of("InvalidInput", b[0]), List.of(e.getKind(), String.valueOf(e.getField())),
                        b[0] + "=" + b[1]);
                }
            }
            for (String name : List.of("timeout", "connect_timeout", "overall_timeout", "confirm_timeout", "retry_backoff")) {
                WxPayException e = org.junit.jupiter.api.Assertions.assertThrows(WxPayException.class,
                    () -> new WxPayClient(sim.options(name, Double.NaN)).close());
                assertEquals(List.of("InvalidInput", name), List.of(e.getKind(), String.valueOf(e.getField())));
            }
            assertEquals(0L, sim.stat("micropay"));
        }
    }
}
