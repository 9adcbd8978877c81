package io.wxpay;

import static io.wxpay.Vectors.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Profit sharing from Java against wxpay-sim: receiver, sharing within 30 %, query, finish, refusals. */
class ProfitSharingTest {
    static String paid(Sim sim, WxPayClient wx, String no, boolean sharing) throws Exception {
        Map<String, Object> order = wx.unifiedOrder(Map.of("body", "jvm-shop", "out_trade_no", no, "total_fee", 1000,
            "spbill_create_ip", "127.0.0.1", "openid", Sim.OPENID, "notify_url", "http://127.0.0.1:9/n",
            "extra", sharing ? Map.of("profit_sharing", "Y") : Map.of()));
        Map<String, Object> params = wx.jsapiParams((String) order.get("prepay_id"));
        assertEquals("get_brand_wcpay_request:ok", map(sim.post("/sim/jsapi/pay", params)).get("err_msg"));
        return (String) wx.queryOrder(no).get("transaction_id");
    }

    static Map<String, Object> share(WxPayClient wx, String tx, String no, long amount) throws Exception {
        return wx.profitSharing(Map.of("transaction_id", tx, "out_order_no", no, "multi", true, "receivers",
            List.of(Map.of("type", "PERSONAL_OPENID", "account", Sim.OPENID, "amount", amount, "description", "推荐佣金"))));
    }

    @Test
    void aSharingFromReceiverToFinish() throws Exception {
        try (Sim sim = new Sim(); WxPayClient wx = new WxPayClient(sim.options())) {
            String tx = paid(sim, wx, "jvm-share-1", true);
            wx.addProfitSharingReceiver(Map.of("type", "PERSONAL_OPENID", "account", Sim.OPENID, "relation_type", "USER"));
            assertEquals("PROCESSING", share(wx, tx, "JS1", 300).get("status"));
            List<?> receivers = (List<?>) wx.queryProfitSharing(tx, "JS1").get("receivers");
            assertEquals(1, receivers.size());
            assertEquals(300L, ((Number) map(receivers.get(0)).get("amount")).longValue());
            assertEquals("SUCCESS", map(receivers.get(0)).get("result"));
            assertEquals(700L, ((Number) wx.profitSharingUnsplitAmount(tx).get("unsplit_amount")).longValue());
            WxPayException tooMuch = assertThrows(WxPayException.class, () -> share(wx, tx, "JS2", 1));
            assertEquals("Business", tooMuch.getKind());
            assertTrue(tooMuch.getMessage().contains("最大分账比例"), tooMuch.getMessage());
            assertEquals("FINISHED", wx.finishProfitSharing(tx, "JF1", "分账完结").get("status"));
            assertEquals(0L, ((Number) wx.profitSharingUnsplitAmount(tx).get("unsplit_amount")).longValue());

            String plain = paid(sim, wx, "jvm-share-2", false);
            WxPayException notShared = assertThrows(WxPayException.class, () -> share(wx, plain, "JS3", 10));
            assertEquals("NOT_SHARE_ORDER", notShared.getErrCode());
            assertEquals(3L, sim.stat("multiprofitsharing"));
        }
    }

    /** The profit-sharing requests that reached the simulator. */
    static long sharingRequests(Sim sim) throws Exception {
        long n = 0;
        for (Map.Entry<String, Object> e : sim.getJson("/sim/stats").entrySet()) {
            if (e.getKey().contains("profitsharing")) n += ((Number) e.getValue()).longValue();
        }
        return n;
    }

    /** tests/vectors/profit_sharing.json on one simulator, each step called by name. */
    @Test
    void sharedVectors() throws Exception {
        try (Sim sim = new Sim()) {
            int n = 0;
            for (Map<String, Object> c : Vectors.cases("profit_sharing.json")) {
                String name = (String) c.get("name");
                Map<String, Object> options = "provider".equals(c.get("merchant")) ? sim.providerOptions() : sim.options();
                options.put("sign_type", "HMAC-SHA256");
                try (WxPayClient wx = new WxPayClient(options)) {
                    String tx = c.get("order") == null ? "" : paid(sim, wx, "jvm-psv-" + n, "sharing".equals(c.get("order")));
                    long before = sharingRequests(sim);
                    int i = 0;
                    for (Object raw : (List<?>) c.get("steps")) {
                        Map<String, Object> step = map(Json.read(Json.write(raw).replace("{tx}", tx).replace("{n}", String.valueOf(n))));
                        String label = name + ", step " + (i++) + " (" + step.get("op") + ")";
                        Map<String, Object> expect = map(step.get("expect"));
                        Object got = VectorsTest.outcome(label, expect, () -> wx.call((String) step.get("op"), step.get("args")));
                        if (expect.get("error") != null) {
                            continue;
                        }
                        if (expect.get("ok") == null) {
                            assertEquals(null, got, label);
                            continue;
                        }
                        for (Map.Entry<String, Object> want : map(expect.get("ok")).entrySet()) {
                            assertEquals(want.getValue(), map(got).get(want.getKey()), label + ": " + want.getKey());
                        }
                    }
                    if (c.get("sent") != null) {
                        assertEquals(((Number) c.get("sent")).longValue(), sharingRequests(sim) - before, name);
                    }
                }
                n++;
            }
        }
    }
}
