package io.wxpay;

import static io.wxpay.Vectors.bytes;
import static io.wxpay.Vectors.cases;
import static io.wxpay.Vectors.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every file in tests/vectors/ through the Java API. */
class VectorsTest {
    interface Call {
        Object run() throws Exception;
    }

    /** The call's result, or null after checking it failed as `expect.error` says. */
    static Object outcome(String name, Map<String, Object> expect, Call call) throws Exception {
        Map<String, Object> error = expect == null ? null : map(expect.get("error"));
        if (error == null) {
            try {
                return call.run();
            } catch (WxPayException e) {
                throw new AssertionError(name + ": unexpected " + e, e);
            }
        }
        try {
            Object got = call.run();
            fail(name + ": expected " + error + ", got " + got);
        } catch (WxPayException e) {
            assertEquals(error.get("kind"), e.getKind(), name + ": " + e);
            assertEquals("WXPAY_" + e.getKind().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(), e.getCode(), name);
            if (error.get("reason") != null) assertEquals(error.get("reason"), e.getReason(), name);
            if (error.get("err_code") != null) assertEquals(error.get("err_code"), e.getErrCode(), name);
            if (error.get("retryable") != null) assertEquals(error.get("retryable"), e.isRetryable(), name);
        }
        return null;
    }

    static WxPayClient clientFor(Map<String, Object> m, String baseUrl) throws WxPayException {
        Map<String, Object> o = new HashMap<>(Map.of("appid", m.get("appid"), "mch_id", m.get("mch_id"),
            "api_key", m.get("api_key"), "base_url", baseUrl, "retries", 0));
        if (m.get("sign_type") != null) o.put("sign_type", m.get("sign_type"));
        return new WxPayClient(o);
    }

    @Test
    void everyVectorFileHasAJvmTest() throws Exception {
        try (var files = Files.list(Sim.vectors())) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted()
                .collect(Collectors.toList());
            assertEquals(List.of("bill.json", "counter.json", "fund_flow.json", "jssdk.json", "mini_program.json", "native.json", "notify.json", "oauth.json", "operations.json", "pay_params.json",
                "profit_sharing.json", "reconcile.json", "refund_notify.json", "replies.json", "sign.json", "verify.json", "xml.json", "xml_roundtrip.json"), names);
        }
    }

    @Test
    void sign() throws Exception {
        int official = 0;
        for (Map<String, Object> c : cases("sign.json")) {
            String name = (String) c.get("name");
            Map<String, Object> expect = map(c.get("expect"));
            Object got = outcome(name, expect, () -> WxPay.sign(map(c.get("params")), (String) c.get("key"), (String) c.get("sign_type")));
            if (expect.get("ok") != null) assertEquals(expect.get("ok"), got, name);
            if (Boolean.TRUE.equals(c.get("official"))) official++;
        }
        assertTrue(official > 0, "WeChat's own examples are among the cases");
    }

    @Test
    void verify() throws Exception {
        // The boolean check: true exactly for the cases the strict check accepts.
        for (Map<String, Object> c : cases("verify.json")) {
            boolean valid = WxPay.verify(map(c.get("params")), (String) c.get("key"), (String) c.get("sign_type"));
            assertEquals(map(c.get("expect")).containsKey("ok"), valid, (String) c.get("name"));
        }
    }

    @Test
    void fromXml() throws Exception {
        for (Map<String, Object> c : cases("xml.json")) {
            String name = (String) c.get("name");
            Map<String, Object> expect = map(c.get("expect"));
            Object got = outcome(name, expect, () -> WxPay.fromXml(bytes(c, "input")));
            if (expect.get("ok") != null) {
                assertEquals(expect.get("ok"), got, name);
                if (c.get("input") != null) assertEquals(expect.get("ok"), WxPay.fromXml((String) c.get("input")), name);
            }
        }
    }

    @Test
    void toXmlRoundTrips() throws Exception {
        for (Map<String, Object> c : cases("xml_roundtrip.json")) {
            String name = (String) c.get("name");
            Map<String, Object> expect = map(c.get("expect"));
            Object got = outcome(name, expect, () -> WxPay.fromXml(WxPay.toXml(map(c.get("fields")))));
            if (expect == null) assertEquals(c.get("fields"), got, name);
        }
    }

    @Test
    void jssdkSignature() throws Exception {
        for (Map<String, Object> c : cases("jssdk.json")) {
            String name = (String) c.get("name");
            Map<String, Object> expect = map(c.get("expect"));
            Object got = outcome(name, expect, () -> WxPay.jssdkSignature((String) c.get("jsapi_ticket"),
                (String) c.get("noncestr"), (Long) c.get("timestamp"), (String) c.get("url")));
            if (expect.get("ok") != null) assertEquals(expect.get("ok"), got, name);
        }
    }

    @Test
    void payParams() throws Exception {
        for (Map<String, Object> c : cases("pay_params.json")) {
            String name = (String) c.get("name");
            Map<String, Object> m = map(c.get("merchant"));
            Map<String, Object> expect = map(c.get("expect"));
            String shape = (String) c.get("shape");
            String prepayId = (String) c.get("prepay_id");
            try (WxPayClient client = clientFor(m, "http://127.0.0.1:9")) {
                Object got = outcome(name, expect, () -> switch (shape) {
                    case "bridge" -> client.jsapiParams(prepayId);
                    case "jssdk" -> client.jssdkPayParams(prepayId);
                    default -> client.appPayParams(prepayId);
                });
                if (expect.get("ok") == null) continue;
                Map<String, Object> params = map(got);
                // WeChat's pages expect these names in this order.
                assertEquals(new ArrayList<>(map(expect.get("ok")).keySet()), new ArrayList<>(params.keySet()), name);
                assertEquals(shape.equals("app") ? "Sign=WXPay" : "prepay_id=" + prepayId, params.get("package"), name);
                String signField = shape.equals("app") ? "sign" : "paySign";
                Map<String, Object> fields = new LinkedHashMap<>(params);
                fields.remove(signField);
                if (shape.equals("jssdk")) {
                    fields.put("appId", m.get("appid"));
                    fields.put("timeStamp", fields.remove("timestamp"));
                }
                assertEquals(params.get(signField), WxPay.sign(fields, (String) m.get("api_key"), (String) m.get("sign_type")), name);
            }
        }
    }

    @Test
    void paymentNotifications() throws Exception {
        for (Map<String, Object> c : cases("notify.json")) {
            String name = (String) c.get("name");
            Map<String, Object> expect = map(c.get("expect"));
            byte[] body = bytes(c, "body");
            try (WxPayClient client = clientFor(map(c.get("merchant")), "http://127.0.0.1:9")) {
                Object got = outcome(name, expect, () -> client.verifyPaymentNotify(body));
                if (expect.get("ok") == null) continue;
                Map<String, Object> note = map(got);
                Map<String, Object> ok = map(expect.get("ok"));
                for (String k : List.of("paid", "out_trade_no", "transaction_id", "total_fee")) {
                    assertEquals(ok.get(k), note.get(k), name + ": " + k);
                }
                assertEquals(WxPay.fromXml(body), note.get("raw"), name);
                if (c.get("expected_total_fee") != null) {
                    long fee = (Long) c.get("expected_total_fee");
                    outcome(name + " amount", map(c.get("amount_expect")), () -> client.verifyPaymentNotify(body, fee));
                }
            }
        }
    }

    @Test
    void refundNotifications() throws Exception {
        for (Map<String, Object> c : cases("refund_notify.json")) {
            String name = (String) c.get("name");
            Map<String, Object> expect = map(c.get("expect"));
            Object got = outcome(name, expect, () -> {
                if (c.get("req_info") != null) return WxPay.decryptReqInfo((String) c.get("req_info"), (String) c.get("api_key"));
                try (WxPayClient client = clientFor(map(c.get("merchant")), "http://127.0.0.1:9")) {
                    return client.parseRefundNotify(((String) c.get("body")).getBytes(StandardCharsets.UTF_8)).get("info");
                }
            });
            if (expect.get("ok") != null) assertEquals(expect.get("ok"), got, name);
        }
    }

    @Test
    void oauthAuthorizeUrl() throws Exception {
        for (Map<String, Object> c : cases("oauth.json")) {
            String name = (String) c.get("name");
            Map<String, Object> expect = map(c.get("expect"));
            try (WxPayClient client = new WxPayClient(Map.of("appid", c.get("appid"), "mch_id", "10000100",
                    "api_key", "192006250b4c09247ec02edce69f6a2d", "open_base_url", c.get("base_url")))) {
                Object got = outcome(name, expect, () -> client.oauthAuthorizeUrl((String) c.get("redirect_uri"),
                    (String) c.get("scope"), (String) c.get("state")));
                if (expect.get("ok") != null) assertEquals(expect.get("ok"), got, name);
            }
        }
    }

    /** A WeChat that answers every request with the same body. */
    static final class Canned implements AutoCloseable {
        final HttpServer server;
        final AtomicReference<byte[]> body = new AtomicReference<>(new byte[0]);

        Canned() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", ex -> {
                ex.getRequestBody().readAllBytes();
                byte[] b = body.get();
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
                ex.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void payApiRepliesCheckedAgainstTheRequest() throws Exception {
        try (Canned server = new Canned()) {
            for (Map<String, Object> c : cases("replies.json")) {
                String name = (String) c.get("name");
                Map<String, Object> expect = map(c.get("expect"));
                Map<String, Object> r = map(c.get("request"));
                server.body.set(((String) c.get("body")).getBytes(StandardCharsets.UTF_8));
                // The sub-merchant a provider calls for, when the vector names one.
                Map<String, Object> sub = new HashMap<>();
                if (r.get("sub_mch_id") != null) sub.put("sub_mch_id", r.get("sub_mch_id"));
                if (r.get("sub_appid") != null) sub.put("sub_appid", r.get("sub_appid"));
                try (WxPayClient client = clientFor(map(c.get("merchant")), server.url())) {
                    Object got = outcome(name, expect, () -> {
                        Map<String, Object> req = new HashMap<>(sub);
                        switch ((String) c.get("api")) {
                            case "unifiedorder" -> {
                                req.putAll(Map.of("body", "shop", "out_trade_no", r.get("out_trade_no"), "total_fee", 10000,
                                    "spbill_create_ip", "127.0.0.1", "notify_url", "https://shop.example/notify", "openid", "openid"));
                                if (r.get("trade_type") != null) req.put("trade_type", r.get("trade_type"));
                                if ("NATIVE".equals(r.get("trade_type"))) req.put("product_id", "p1");
                                return client.unifiedOrder(req);
                            }
                            case "orderquery" -> {
                                req.put("out_trade_no", r.get("out_trade_no"));
                                return client.queryOrder(req);
                            }
                            case "closeorder" -> {
                                return client.closeOrder((String) r.get("out_trade_no"), sub);
                            }
                            case "refundquery" -> {
                                req.put("out_trade_no", r.get("out_trade_no"));
                                return client.queryRefund(req);
                            }
                            case "refund" -> {
                                req.putAll(Map.of("out_trade_no", r.get("out_trade_no"), "out_refund_no", r.get("out_refund_no"),
                                    "total_fee", r.get("total_fee"), "refund_fee", r.get("refund_fee")));
                                return client.refund(req);
                            }
                            case "micropay" -> {
                                req.putAll(Map.of("body", "counter", "out_trade_no", r.get("out_trade_no"), "total_fee", r.get("total_fee"),
                                    "spbill_create_ip", "127.0.0.1", "auth_code", r.get("auth_code")));
                                return client.micropay(req);
                            }
                            case "authcodetoopenid" -> {
                                return Map.of("openid", client.authCodeToOpenid((String) r.get("auth_code"), sub));
                            }
                            default -> throw new AssertionError(name + ": unknown api " + c.get("api"));
                        }
                    });
                    if (expect.get("ok") == null) continue;
                    Map<String, Object> reply = map(got);
                    for (Map.Entry<String, Object> e : map(expect.get("ok")).entrySet()) {
                        Object value = reply.get(e.getKey());
                        if (e.getKey().equals("refunds")) {
                            List<Object> summary = new ArrayList<>();
                            for (Object x : (List<?>) value) {
                                Map<String, Object> one = map(x);
                                summary.add(Map.of("out_refund_no", one.get("out_refund_no"), "refund_fee", one.get("refund_fee"),
                                    "refund_status", one.get("refund_status"), "coupons", (long) ((List<?>) one.get("coupons")).size()));
                            }
                            value = summary;
                        }
                        assertEquals(e.getValue(), value, name + ": " + e.getKey());
                    }
                }
            }
        }
    }

    @Test
    void bills() throws Exception {
        try (Canned server = new Canned()) {
            for (Map<String, Object> c : cases("bill.json")) {
                String name = (String) c.get("name");
                Map<String, Object> expect = map(c.get("expect"));
                server.body.set(bytes(c, "body"));
                try (WxPayClient client = clientFor(Map.of("appid", Sim.APPID, "mch_id", Sim.MCH_ID, "api_key", Sim.API_KEY), server.url())) {
                    Object got = outcome(name, expect, () -> client.downloadBill(Map.of("bill_date", "20240102")));
                    if (expect.get("ok") == null) continue;
                    Map<String, Object> bill = map(got);
                    Map<String, Object> ok = map(expect.get("ok"));
                    assertEquals(ok.get("no_bill"), bill.get("no_bill"), name);
                    assertEquals(ok.get("columns"), (long) ((List<?>) bill.get("columns")).size(), name);
                    assertEquals(ok.get("rows"), (long) ((List<?>) bill.get("rows")).size(), name);
                    if (ok.get("first_row") != null) assertEquals(ok.get("first_row"), ((List<?>) bill.get("rows")).get(0), name);
                    assertEquals(ok.get("summary"), bill.get("summary"), name);
                }
            }
        }
    }

    /**
     * The day fed in pieces through an open reconciliation: the bill 7 bytes at a time, the records two by two
     * (or the CSV 5 bytes at a time); closed whatever happens.
     */
    static Map<String, Object> reconcileStreamed(WxPayClient client, Map<String, Object> c, boolean csv) throws Exception {
        String id = client.reconcileStart(Map.of("memory_mib", 1));
        try {
            byte[] bill = bytes(c, "bill");
            for (int i = 0; i < bill.length; i += 7) {
                client.reconcileBill(java.util.Arrays.copyOfRange(bill, i, Math.min(bill.length, i + 7)), id);
            }
            if (csv) {
                byte[] text = ((String) c.get("shop_csv")).getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < text.length; i += 5) {
                    client.reconcileShopCsv(java.util.Arrays.copyOfRange(text, i, Math.min(text.length, i + 5)), id);
                }
            } else {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> records = (List<Map<String, Object>>) c.get("records");
                for (int i = 0; i < records.size(); i += 2) {
                    client.reconcileShop(id, records.subList(i, Math.min(records.size(), i + 2)));
                }
            }
        } catch (WxPayException e) {
            try {
                client.reconcileFinish(id);
            } catch (WxPayException closed) {
                // closed either way
            }
            throw e;
        }
        return client.reconcileFinish(id);
    }

    @Test
    void reconcile() throws Exception {
        try (WxPayClient client = clientFor(Map.of("appid", Sim.APPID, "mch_id", Sim.MCH_ID, "api_key", Sim.API_KEY),
                "http://127.0.0.1:9")) {
            for (Map<String, Object> c : cases("reconcile.json")) {
                String name = (String) c.get("name");
                Map<String, Object> expect = map(c.get("expect"));
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> records = (List<Map<String, Object>>) c.get("records");
                Map<String, Call> runs = new LinkedHashMap<>();
                runs.put("at once", () -> client.reconcile(bytes(c, "bill"), records));
                runs.put("streamed", () -> reconcileStreamed(client, c, false));
                if (c.get("shop_csv") != null) runs.put("streamed CSV", () -> reconcileStreamed(client, c, true));
                for (Map.Entry<String, Call> run : runs.entrySet()) {
                    String label = name + " (" + run.getKey() + ")";
                    Object got = outcome(label, expect, run.getValue());
                    if (expect.get("ok") != null) assertEquals(expect.get("ok"), got, label);
                }
            }
            // Nothing was left open: all 16 a client may hold are free.
            List<String> open = new ArrayList<>();
            for (int i = 0; i < 16; i++) open.add(client.reconcileStart(Map.of()));
            outcome("a 17th", Map.of("error", Map.of("kind", "InvalidInput")), () -> client.reconcileStart(Map.of()));
            for (String id : open) {
                outcome("no bill", Map.of("error", Map.of("kind", "InvalidInput")), () -> client.reconcileFinish(id));
            }
        }
    }

    /** The query of a weixin://wxpay/bizpayurl link. */
    static Map<String, Object> nativeQuery(String link) {
        Map<String, Object> out = new HashMap<>();
        for (String pair : link.substring(link.indexOf('?') + 1).split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }

    /** All but the fields the library draws itself (time and nonce) and the signature. */
    static Map<String, Object> nativeDrawn(Map<String, ?> fields) {
        Map<String, Object> out = new HashMap<>(fields);
        out.keySet().removeAll(List.of("nonce_str", "sign", "time_stamp"));
        return out;
    }

    @Test
    void nativeModeOne() throws Exception {
        java.util.Set<String> kinds = new java.util.TreeSet<>();
        for (Map<String, Object> c : cases("native.json")) {
            String name = (String) c.get("name");
            String kind = (String) c.get("kind");
            kinds.add(kind);
            Map<String, Object> expect = map(c.get("expect"));
            Map<String, Object> m = map(c.get("merchant"));
            String key = (String) m.get("api_key");
            try (WxPayClient client = clientFor(m, "http://127.0.0.1:9")) {
                Object got = outcome(name, expect, () -> switch (kind) {
                    case "qr_link" -> client.nativeQrLink((String) c.get("product_id"));
                    case "scan_callback" -> client.verifyScanCallback(bytes(c, "body"));
                    case "scan_reply" -> client.nativeScanReply((String) c.get("prepay_id"));
                    default -> client.nativeScanRefusal((String) c.get("message"));
                });
                if (expect.get("ok") == null) continue;
                if (kind.equals("qr_link")) {
                    String link = (String) got;
                    assertTrue(link.startsWith("weixin://wxpay/bizpayurl?"), name);
                    Map<String, Object> params = nativeQuery(link);
                    Map<String, Object> want = nativeQuery((String) expect.get("ok"));
                    assertEquals(want.keySet(), params.keySet(), name);
                    assertEquals(nativeDrawn(want), nativeDrawn(params), name);
                    assertTrue(WxPay.verify(params, key, "MD5"), name);
                } else if (kind.equals("scan_callback")) {
                    Map<String, Object> scan = map(got);
                    Map<String, Object> ok = map(expect.get("ok"));
                    assertEquals(ok, Map.of("openid", scan.get("openid"), "product_id", scan.get("product_id"),
                        "is_subscribe", scan.get("is_subscribe")), name);
                } else {
                    Map<String, String> fields = WxPay.fromXml((String) got);
                    assertTrue(WxPay.verify(fields, key, "MD5"), name);
                    assertEquals(nativeDrawn(map(expect.get("ok"))), nativeDrawn(fields), name);
                }
            }
        }
        assertEquals(4, kinds.size());
    }

    @Test
    void fundFlows() throws Exception {
        List<Map<String, Object>> all = cases("fund_flow.json");
        assertTrue(all.size() >= 10);
        try (Canned server = new Canned()) {
            for (Map<String, Object> c : all) {
                String name = (String) c.get("name");
                Map<String, Object> expect = map(c.get("expect"));
                server.body.set(bytes(c, "body"));
                try (WxPayClient client = clientFor(Map.of("appid", Sim.APPID, "mch_id", Sim.MCH_ID, "api_key", Sim.API_KEY), server.url())) {
                    Object got = outcome(name, expect, () -> client.downloadFundFlow("20180201", null, null));
                    if (expect.get("ok") == null) continue;
                    Map<String, Object> flow = map(got);
                    Map<String, Object> ok = map(expect.get("ok"));
                    assertEquals(ok.get("no_bill"), flow.get("no_bill"), name);
                    assertEquals(ok.get("columns"), (long) ((List<?>) flow.get("columns")).size(), name);
                    assertEquals(ok.get("rows"), (long) ((List<?>) flow.get("rows")).size(), name);
                    if (ok.get("first_row") != null) assertEquals(ok.get("first_row"), ((List<?>) flow.get("rows")).get(0), name);
                    assertEquals(ok.get("totals"), flow.get("totals"), name);
                }
            }
        }
    }

    @Test
    void counterRunsToItsEndAgainstTheSimulator() throws Exception {
        List<Map<String, Object>> all = cases("counter.json");
        assertTrue(all.size() >= 12);
        int i = 0;
        for (Map<String, Object> c : all) {
            String name = (String) c.get("name");
            Map<String, Object> expect = map(c.get("expect"));
            try (Sim sim = new Sim()) {
                if (c.get("fault") != null) sim.post("/sim/faults", c.get("fault"));
                Map<String, Object> options = c.get("sub_merchant") != null ? sim.providerOptions() : sim.options();
                options.put("sign_type", "HMAC-SHA256");
                try (WxPayClient client = new WxPayClient(options)) {
                    Map<String, Object> req = new HashMap<>(Map.of("body", "counter", "out_trade_no", "jvm-counter-vector-" + i++,
                        "total_fee", 1800, "spbill_create_ip", "127.0.0.1", "auth_code", c.get("auth_code"),
                        "first_query_after", 0.02, "query_every", 0.02, "give_up_after", 0.6, "max_reverses", 3));
                    if (c.get("sub_merchant") != null) req.put("sub_mch_id", map(c.get("sub_merchant")).get("sub_mch_id"));
                    Map<String, Object> out = client.micropay(req);
                    assertEquals(List.of(expect.get("status"), String.valueOf(expect.get("err_code")), expect.get("reverses"),
                            String.valueOf(expect.get("follow_up"))),
                        List.of(out.get("status"), String.valueOf(out.get("err_code")), out.get("reverses"),
                            String.valueOf(out.get("follow_up"))), name + ": " + out);
                    assertTrue((Long) out.get("queries") >= (Long) expect.get("queries_at_least"), name);
                    assertNotNull(out.get("status"));
                }
            }
        }
    }

    @Test
    void miniProgramLoginAgainstTheSimulator() throws Exception {
        List<Map<String, Object>> all = cases("mini_program.json");
        assertTrue(all.size() >= 7);
        try (Sim sim = new Sim()) {
            for (Map<String, Object> c : all) {
                String name = (String) c.get("name");
                String secret = (String) c.get("app_secret");
                Map<String, Object> options = secret == null ? sim.options() : sim.options("app_secret", secret);
                String code = c.get("login") != null
                    ? (String) map(sim.post("/sim/mini/login", c.get("login"))).get("code")
                    : (String) c.get("code");
                long before = sim.stat("jscode2session");
                try (WxPayClient client = new WxPayClient(options)) {
                    for (Object item : (List<?>) c.get("expect")) {
                        Map<String, Object> want = map(item);
                        if (want.get("ok") != null) {
                            Map<String, Object> session = client.jscode2session(code);
                            assertEquals(map(want.get("ok")).get("openid"), session.get("openid"), name);
                            assertTrue(session.get("session_key") instanceof String && !((String) session.get("session_key")).isEmpty(), name);
                        } else {
                            Map<String, Object> w = map(want.get("error"));
                            try {
                                client.jscode2session(code);
                                fail(name + ": accepted");
                            } catch (WxPayException e) {
                                assertEquals(w.get("kind"), e.getKind(), name + ": " + e.getMessage());
                                if (w.get("errcode") != null) assertEquals(w.get("errcode"), e.getErrcode(), name);
                                if (w.get("field") != null) assertEquals(w.get("field"), e.getField(), name);
                                if (secret != null) assertTrue(!e.getMessage().contains(secret), name);
                            }
                        }
                    }
                }
                assertEquals(c.get("sent"), sim.stat("jscode2session") - before, name);
            }
        }
    }
}
