package io.wxpay;

import static io.wxpay.Vectors.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The whole JSAPI checkout, from Java, against wxpay-sim. */
class CheckoutTest {
    /** A shop's notify endpoint done right: the decision's reply, after the order is marked paid. */
    static final class Shop implements AutoCloseable {
        final Map<String, Map<String, Object>> orders = new ConcurrentHashMap<>();
        final List<NotifyDecision> decisions = new java.util.concurrent.CopyOnWriteArrayList<>();
        final HttpServer server;

        Shop(WxPayClient wx) throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/notify", ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                String reply;
                try {
                    NotifyDecision d = wx.handlePaymentNotify(body, orders::get);
                    if (d.isPaid()) {
                        orders.computeIfPresent(d.getOutTradeNo(), (k, o) -> {
                            Map<String, Object> paid = new HashMap<>(o);
                            paid.put("transaction_id", d.getTransactionId());
                            return paid;
                        });
                    }
                    decisions.add(d);
                    reply = d.getReply();
                } catch (WxPayException e) {
                    reply = WxPay.notifyFail(e.getCode());
                }
                byte[] out = reply.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/xml");
                ex.sendResponseHeaders(200, out.length);
                ex.getResponseBody().write(out);
                ex.close();
            });
            server.start();
        }

        String notifyUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/notify";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static boolean until(java.util.function.BooleanSupplier check) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            if (check.getAsBoolean()) return true;
            Thread.sleep(10);
        }
        return check.getAsBoolean();
    }

    @Test
    void aWholeJsapiCheckout() throws Exception {
        try (Sim sim = new Sim(); WxPayClient wx = new WxPayClient(sim.options("retry_backoff", 0.02)); Shop shop = new Shop(wx)) {
            // OAuth: the shopper's openid, with a state bound to the session.
            String state = wx.oauthState("session-1");
            String authorize = wx.oauthAuthorizeUrl("https://shop.example/cb", "snsapi_base", state);
            HttpResponse<String> redirect = sim.send("GET", authorize.split("#")[0], null);
            assertEquals(302, redirect.statusCode());
            Map<String, String> query = new HashMap<>();
            for (String kv : URI.create(redirect.headers().firstValue("location").orElseThrow()).getRawQuery().split("&")) {
                String[] p = kv.split("=", 2);
                query.put(p[0], URLDecoder.decode(p[1], StandardCharsets.UTF_8));
            }
            wx.checkOauthState(query.get("state"), "session-1");
            assertThrows(WxPayException.InvalidInput.class, () -> wx.checkOauthState(query.get("state"), "session-2"));
            Map<String, Object> token = wx.oauthExchangeCode(query.get("code"));
            assertEquals(Sim.OPENID, token.get("openid"));

            // The order, recorded by the shop with its own amount.
            shop.orders.put("jvm-flow-01", Map.of("total_fee", 990));
            Map<String, Object> order = wx.unifiedOrder(Map.of("body", "jvm-书店", "out_trade_no", "jvm-flow-01",
                "total_fee", 990, "spbill_create_ip", "127.0.0.1", "openid", token.get("openid"),
                "notify_url", shop.notifyUrl(), "extra", Map.of("attach", "cart-1")));
            assertTrue(((String) order.get("prepay_id")).startsWith("wx"));

            // The page: wx.config and the pay params, checked by the simulated WeChat browser.
            Map<String, Object> config = new HashMap<>(wx.jssdkConfig("https://shop.example/pay#top", List.of("chooseWXPay")));
            config.put("url", "https://shop.example/pay");
            assertEquals("config:ok", map(sim.post("/sim/jsapi/config", config)).get("errMsg"));
            Map<String, Object> params = wx.jsapiParams((String) order.get("prepay_id"));
            assertEquals("get_brand_wcpay_request:ok", map(sim.post("/sim/jsapi/pay", params)).get("err_msg"));

            // The notification: verified, amount checked, confirmed by orderquery, answered.
            assertTrue(until(() -> shop.orders.get("jvm-flow-01").get("transaction_id") != null), "order marked paid");
            NotifyDecision paid = shop.decisions.get(0);
            assertEquals("paid", paid.getStatus());
            assertNull(paid.getError());
            assertEquals("cart-1", map(map(paid.getFields().get("notify")).get("raw")).get("attach"));
            assertTrue(sim.stat("orderquery") >= 1, "the payment was confirmed with orderquery");
            assertTrue(until(() -> {
                try {
                    List<?> notes = (List<?>) Json.read(sim.send("GET", "/sim/notifications", null).body());
                    return "acknowledged".equals(map(notes.get(0)).get("status"));
                } catch (Exception e) {
                    return false;
                }
            }), "WeChat got the acknowledgement");

            // A refund and its query.
            Map<String, Object> refund = wx.refund(Map.of("out_trade_no", "jvm-flow-01", "out_refund_no", "jvm-flow-01-r",
                "total_fee", 990, "refund_fee", 90));
            assertEquals(90L, refund.get("refund_fee"));
            Map<String, Object> refunds = wx.queryRefund(Map.of("out_refund_no", "jvm-flow-01-r"));
            assertEquals("SUCCESS", map(((List<?>) refunds.get("refunds")).get(0)).get("refund_status"));
            assertEquals("REFUND", wx.queryOrder("jvm-flow-01").get("trade_state"));

            // Typed failures, with WeChat's codes.
            WxPayException.Business missing = assertThrows(WxPayException.Business.class, () -> wx.queryOrder("jvm-missing-1"));
            assertEquals("ORDERNOTEXIST", missing.getErrCode());
            assertEquals("WXPAY_BUSINESS", missing.getCode());
            assertFalse(missing.isRetryable());
            WxPayException.MpApi reused = assertThrows(WxPayException.MpApi.class, () -> wx.oauthExchangeCode(query.get("code")));
            assertEquals(40163L, reused.getErrcode());
        }
    }

    @Test
    void aForgedNotificationIsRefusedAndNothingIsConfirmed() throws Exception {
        try (Sim sim = new Sim(); WxPayClient wx = new WxPayClient(sim.options())) {
            Map<String, Object> fields = new HashMap<>(Map.of("return_code", "SUCCESS", "result_code", "SUCCESS",
                "appid", Sim.APPID, "mch_id", Sim.MCH_ID, "nonce_str", "n1", "openid", Sim.OPENID, "trade_type", "JSAPI",
                "total_fee", "990", "transaction_id", "4200000001202612010000000009", "out_trade_no", "jvm-forged-01"));
            fields.put("time_end", "20261201120000");
            fields.put("bank_type", "CMC");
            fields.put("cash_fee", "990");
            byte[] forged = WxPay.toSignedXml(fields, "00000000000000000000000000000000", "MD5").getBytes(StandardCharsets.UTF_8);
            NotifyDecision d = wx.settlePaymentNotify(forged, Map.of("total_fee", 990));
            assertEquals("refused", d.getStatus());
            assertTrue(d.getError() instanceof WxPayException.Signature, String.valueOf(d.getError()));
            assertTrue(d.getReply().contains("FAIL"));
            assertEquals(0L, sim.stat("orderquery"), "nothing was asked of WeChat for a forged body");
            assertNull(wx.paymentNotifyOrder(forged));
        }
    }

    @Test
    void aServiceProviderTakesPaymentsForTwoSubMerchants() throws Exception {
        try (Sim sim = new Sim(); WxPayClient wx = new WxPayClient(sim.providerOptions())) {
            Map<String, Object> tea = Map.of("sub_mch_id", "1900000109", "sub_appid", "wx1111111111111111");
            Map<String, Object> order = new HashMap<>(tea);
            order.putAll(Map.of("body", "Tea", "out_trade_no", "jvm-tea-01", "total_fee", 1500, "spbill_create_ip", "127.0.0.1",
                "notify_url", "http://127.0.0.1:9/n", "sub_openid", "oSubTeaHouse0Shopper000000001"));
            Map<String, Object> placed = wx.unifiedOrder(order);
            Map<String, Object> params = wx.jsapiParams((String) placed.get("prepay_id"), tea);
            assertEquals("wx1111111111111111", params.get("appId"), "signed with the tea house's own account");
            assertEquals("get_brand_wcpay_request:ok", map(sim.post("/sim/jsapi/pay", params)).get("err_msg"));
            assertEquals("SUCCESS", wx.queryOrder(Map.of("out_trade_no", "jvm-tea-01", "sub_mch_id", "1900000109")).get("trade_state"));
            // The bookshop cannot see the tea house's order.
            WxPayException.Business unseen = assertThrows(WxPayException.Business.class,
                () -> wx.queryOrder(Map.of("out_trade_no", "jvm-tea-01", "sub_mch_id", "1900000110")));
            assertEquals("ORDERNOTEXIST", unseen.getErrCode());
            // A sub-merchant that is not the provider's is refused by WeChat (return_code=FAIL).
            WxPayException.Protocol stranger = assertThrows(WxPayException.Protocol.class,
                () -> wx.queryOrder(Map.of("out_trade_no", "jvm-tea-01", "sub_mch_id", "1900009999")));
            assertEquals("sub_mch_id与mch_id不匹配", stranger.getReturnMsg());
        }
    }
}
