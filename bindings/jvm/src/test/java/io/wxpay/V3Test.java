package io.wxpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** API v3 from Java against wxpay-sim in each key mode: checkout, notify handler, query, refund, errors. */
class V3Test {
    static WxPayClientV3 client(Sim sim, boolean publicKey) throws Exception {
        Map<String, Object> m = sim.getJson("/sim/v3/merchant");
        String keys = Sim.vectors().resolve("v3").resolve("keys").toString();
        Map<String, Object> o = new HashMap<>(Map.of("mchid", m.get("mchid"), "appid", Sim.APPID,
            "merchant_serial", m.get("serial"), "apiv3_key", m.get("apiv3_key"),
            "private_key_path", keys + "/merchant_key.pem", "base_url", sim.url, "retry_backoff", 0.01));
        if (publicKey) {
            o.put("public_key_id", m.get("public_key_id"));
            o.put("public_key_path", keys + "/wechatpay_public_key.pem");
        }
        return new WxPayClientV3(o);
    }

    @ParameterizedTest
    @ValueSource(strings = {"certificate", "public-key", "migrating"})
    void aCheckoutInEachKeyMode(String mode) throws Exception {
        try (Sim sim = new Sim("--v3-keys", mode); WxPayClientV3 wx = client(sim, !mode.equals("certificate"))) {
            assertFalse(wx.toString().contains("PRIVATE"));
            Map<String, Map<String, Object>> orders = new ConcurrentHashMap<>();
            List<Map<String, Object>> decisions = new CopyOnWriteArrayList<>();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v3/notify", ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                Map<String, Object> d;
                try {
                    d = wx.handlePaymentNotify(ex.getRequestHeaders(), body, orders::get);
                } catch (WxPayException e) {
                    d = Map.of("http_status", 500L, "body", "");
                }
                decisions.add(d);
                byte[] out = ((String) d.get("body")).getBytes(StandardCharsets.UTF_8);
                int status = ((Number) d.get("http_status")).intValue();
                ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
                if (out.length > 0) ex.getResponseBody().write(out);
                ex.close();
            });
            server.start();
            try {
                String no = "jvm-v3-" + mode;
                orders.put(no, Map.of("total_fee", 990));
                Map<String, Object> answer = wx.prepay(Map.of("kind", "jsapi", "description", "书店-图书",
                    "out_trade_no", no, "total", 990, "openid", Sim.OPENID,
                    "notify_url", "http://127.0.0.1:" + server.getAddress().getPort() + "/v3/notify"));
                Map<String, Object> params = wx.jsapiParams((String) answer.get("prepay_id"));
                assertEquals("RSA", params.get("signType"));
                @SuppressWarnings("unchecked")
                Map<String, Object> paid = (Map<String, Object>) sim.post("/sim/jsapi/pay", params);
                assertEquals("get_brand_wcpay_request:ok", paid.get("err_msg"));
                long end = System.currentTimeMillis() + 10_000;
                while (decisions.isEmpty() && System.currentTimeMillis() < end) Thread.sleep(20);
                assertFalse(decisions.isEmpty(), "no notification");
                Map<String, Object> d = decisions.get(0);
                assertEquals("paid", d.get("status"), String.valueOf(d.get("error")));
                assertEquals(204L, ((Number) d.get("http_status")).longValue());
                Map<String, Object> order = wx.queryOrder(Map.of("out_trade_no", no, "total", 990));
                assertEquals(true, order.get("paid"));
                assertEquals(d.get("transaction_id"), order.get("transaction_id"));
                Map<String, Object> refund = wx.refund(Map.of("out_trade_no", no, "out_refund_no", no + "-r",
                    "refund", 100, "total", 990));
                assertEquals(100L, ((Number) refund.get("refund")).longValue());
            } finally {
                server.stop(0);
            }
        }
    }

    @Test
    void errorsAreWxPayExceptions() throws Exception {
        try (Sim sim = new Sim("--v3-keys", "public-key"); WxPayClientV3 wx = client(sim, true)) {
            WxPayException e = assertThrows(WxPayException.class, () -> wx.queryOrder(Map.of()));
            assertEquals("out_trade_no", e.getField());
            WxPayException b = assertThrows(WxPayException.class,
                () -> wx.queryOrder(Map.of("out_trade_no", "jvm-v3-never-placed")));
            assertEquals("ORDER_NOT_EXIST", b.getErrCode());
            WxPayException s = assertThrows(WxPayException.class,
                () -> wx.parseNotification(Map.of("Wechatpay-Serial", "PUB_KEY_ID_0000"), "{}".getBytes(StandardCharsets.UTF_8)));
            assertEquals("Signature", s.getKind());
            assertTrue(assertThrows(WxPayException.class, () -> new WxPayClientV3(Map.of("mchid", "1")))
                .getKind().equals("InvalidInput"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSharedDispatchVectors() throws Exception {
        String keys = Sim.vectors().resolve("v3").resolve("keys").toString();
        for (Map<String, Object> c : Vectors.cases("v3/dispatch.json")) {
            Map<String, Object> options = new HashMap<>((Map<String, Object>) c.get("client"));
            options.put("private_key_path", keys + "/" + options.remove("private_key_file"));
            options.put("public_key_path", keys + "/" + options.remove("public_key_file"));
            Map<String, Object> want = (Map<String, Object>) ((Map<String, Object>) c.get("expect")).get("error");
            try (WxPayClientV3 wx = new WxPayClientV3(options)) {
                WxPayException e = assertThrows(WxPayException.class, () -> wx.call((String) c.get("op"), c.get("args")),
                    (String) c.get("name"));
                assertEquals(want.get("kind"), e.getKind(), (String) c.get("name"));
                assertEquals(want.get("field"), e.getField(), (String) c.get("name"));
            }
        }
    }

    private static final List<String> CLIENT_FILES = List.of("dispatch.json", "notifications.json", "operations.json",
        "security.json");
    private static final List<String> ENGINE_FILES = List.of("aead.json", "answers.json", "bills.json",
        "certificates.json", "oaep.json", "pay_params.json", "paths.json", "refunds.json", "signing.json",
        "transactions.json", "verify.json");

    @Test
    void everyV3VectorFileIsRunHereOrNamedTheEngines() throws Exception {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        try (var files = java.nio.file.Files.list(Sim.vectors().resolve("v3"))) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")).forEach(names::add);
        }
        java.util.TreeSet<String> named = new java.util.TreeSet<>(CLIENT_FILES);
        named.addAll(ENGINE_FILES);
        assertEquals(named, names);
    }

    /** A client holding a vector case's keys, nothing reachable, no automatic certificates. */
    @SuppressWarnings("unchecked")
    private static WxPayClientV3 clientFor(Map<String, Object> c) throws Exception {
        java.nio.file.Path keys = Sim.vectors().resolve("v3").resolve("keys");
        Map<String, Object> options = new HashMap<>();
        options.put("mchid", "1900009191");
        options.put("appid", "wxd930ea5d5a258f4f");
        options.put("private_key_path", keys.resolve("merchant_key.pem").toString());
        options.put("merchant_serial", "1D3C5A7E9F0B2D4F6A8C0E1F3A5C7E9B1D3F5A70");
        options.put("apiv3_key", c.get("apiv3_key"));
        options.put("auto_certificates", false);
        options.put("base_url", "http://127.0.0.1:9");
        List<String> certificates = new java.util.ArrayList<>();
        for (Map<String, Object> k : (List<Map<String, Object>>) c.get("keys")) {
            if (k.containsKey("certificate")) {
                certificates.add(java.nio.file.Files.readString(keys.resolve((String) k.get("certificate"))));
            } else {
                options.put("public_key", java.nio.file.Files.readString(keys.resolve((String) k.get("public_key"))));
                options.put("public_key_id", k.get("id"));
            }
        }
        options.put("platform_certificates", certificates);
        return new WxPayClientV3(options);
    }

    /** Headers as Spring's HttpHeaders hand them over (any case), an empty one not sent. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> headersOf(Map<String, Object> c) {
        Map<String, Object> headers = new HashMap<>();
        ((Map<String, Object>) c.get("headers")).forEach((k, v) -> {
            if (!((String) v).isEmpty()) headers.put("WECHATPAY-" + k.toUpperCase(), List.of(v));
        });
        return headers;
    }

    @SuppressWarnings("unchecked")
    private static void runNotificationCase(Map<String, Object> c) throws Exception {
        String name = (String) c.get("name");
        byte[] body = ((String) c.get("body")).getBytes(StandardCharsets.UTF_8);
        long now = ((Number) c.get("now")).longValue();
        Map<String, Object> expect = (Map<String, Object>) c.get("expect");
        if (expect.containsKey("ok")) {
            try (WxPayClientV3 wx = clientFor(c)) {
                Map<String, Object> got = wx.parseNotification(headersOf(c), body, now);
                ((Map<String, Object>) expect.get("ok")).forEach((k, v) -> assertEquals(v, got.get(k), name + ": " + k));
            }
            return;
        }
        Map<String, Object> want = (Map<String, Object>) expect.get("error");
        WxPayException e = assertThrows(WxPayException.class, () -> {
            try (WxPayClientV3 wx = clientFor(c)) {
                wx.parseNotification(headersOf(c), body, now);
            }
        }, name);
        assertEquals(want.get("kind"), e.getKind(), name);
        if (want.containsKey("reason")) assertEquals(want.get("reason"), e.getReason(), name);
    }

    @Test
    void theSecurityFixtures() throws Exception {
        List<Map<String, Object>> cases = Vectors.cases("v3/security.json");
        java.util.Set<Object> attacks = new java.util.HashSet<>();
        for (Map<String, Object> c : cases) attacks.add(c.get("attack"));
        for (String a : List.of("probe", "stale", "unknown serial", "re-serialised body", "wrong key", "replay")) {
            assertTrue(attacks.contains(a), a);
        }
        for (Map<String, Object> c : cases) runNotificationCase(c);
    }

    @Test
    void theNotificationVectors() throws Exception {
        for (Map<String, Object> c : Vectors.cases("v3/notifications.json")) runNotificationCase(c);
    }

    @Test
    void withoutNowTheClockJudges() throws Exception {
        Map<String, Object> c = Vectors.cases("v3/security.json").get(0);
        try (WxPayClientV3 wx = clientFor(c)) {
            byte[] body = ((String) c.get("body")).getBytes(StandardCharsets.UTF_8);
            WxPayException e = assertThrows(WxPayException.class, () -> wx.parseNotification(headersOf(c), body));
            assertEquals("Stale", e.getReason());
        }
    }

    /** tests/vectors/v3/operations.json: each v3 operation is a method (the halves of the payment notify handler through it). */
    @Test
    void everyV3OperationIsAMethod() throws Exception {
        List<Map<String, Object>> ops = Vectors.cases("v3/operations.json");
        assertTrue(ops.size() >= 14);
        java.util.Set<String> methods = new java.util.HashSet<>();
        for (java.lang.reflect.Method m : WxPayClientV3.class.getMethods()) methods.add(m.getName());
        for (Map<String, Object> op : ops) {
            String name = op.containsKey("handler")
                ? camel((String) op.get("handler")) : (String) op.get("camel");
            assertTrue(methods.contains(name), "WxPayClientV3." + name);
        }
    }

    private static String camel(String snake) {
        StringBuilder out = new StringBuilder();
        boolean up = false;
        for (char ch : snake.toCharArray()) {
            if (ch == '_') { up = true; continue; }
            out.append(up ? Character.toUpperCase(ch) : ch);
            up = false;
        }
        return out.toString();
    }
}
