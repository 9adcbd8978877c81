package io.wxpay;

import static io.wxpay.Vectors.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rest of v2 end to end from Java against wxpay-sim: a printed Native code scanned, ordered by this
 * process's callback server and paid; the day's fund flow; the day reconciled with the bill downloaded
 * straight into the reconciliation.
 */
class RestOfV2Test {
    static String today() {
        return ZonedDateTime.now(ZoneOffset.ofHours(8)).format(DateTimeFormatter.BASIC_ISO_DATE).substring(0, 8);
    }

    @Test
    void aPrintedCodeIsPaidAndTheDayReconciles() throws Exception {
        HttpServer callback = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        try (Sim sim = new Sim("--instant-bills"); WxPayClient wx = new WxPayClient(sim.options())) {
            callback.createContext("/scan", exchange -> {
                byte[] answer;
                try {
                    Map<String, Object> scan = wx.verifyScanCallback(exchange.getRequestBody().readAllBytes());
                    Map<String, Object> order = wx.unifiedOrder(Map.of("body", "Cola", "out_trade_no", "jvm-native-1",
                        "total_fee", 350, "spbill_create_ip", "127.0.0.1", "trade_type", "NATIVE", "product_id",
                        scan.get("product_id"), "openid", scan.get("openid"), "notify_url", "http://127.0.0.1:9/n"));
                    answer = wx.nativeScanReply((String) order.get("prepay_id")).getBytes(StandardCharsets.UTF_8);
                } catch (WxPayException e) {
                    answer = WxPay.notifyFail("refused").getBytes(StandardCharsets.UTF_8);
                }
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            callback.start();
            String link = wx.shortUrl(wx.nativeQrLink("cola-330"));
            Map<String, Object> scanned = map(sim.post("/sim/native/scan", Map.of("link", link, "callback_url",
                "http://127.0.0.1:" + callback.getAddress().getPort() + "/scan")));
            assertEquals(Map.of("result", "paid", "reason", "", "out_trade_no", "jvm-native-1"), scanned);
            assertEquals("SUCCESS", wx.queryOrder("jvm-native-1").get("trade_state"));
            assertThrows(WxPayException.class,
                () -> wx.verifyScanCallback("<xml><appid>x</appid><sign>00</sign></xml>".getBytes(StandardCharsets.UTF_8)));

            wx.refund(Map.of("out_trade_no", "jvm-native-1", "out_refund_no", "jvm-native-1-r", "total_fee", 350,
                "refund_fee", 100));
            Map<String, Object> totals = map(wx.downloadFundFlow(today(), "Basic", true).get("totals"));
            assertEquals(Map.of("count", 2L, "income_count", 1L, "income_fen", 350L, "expense_count", 1L,
                "expense_fen", 100L), totals);

            String id = wx.reconcileStart(Map.of("memory_mib", 1));
            wx.reconcileShop(id, List.of(Map.of("out_trade_no", "jvm-native-1", "total_fee", 350),
                Map.of("out_refund_no", "jvm-native-1-r", "out_trade_no", "jvm-native-1", "refund_fee", 100)));
            wx.reconcileDownloadBill(id, today());
            Map<String, Object> report = wx.reconcileFinish(id);
            assertTrue((Boolean) report.get("balanced"), report.toString());
            assertEquals(350L, map(report.get("matched")).get("payment_fen"));
        } finally {
            callback.stop(0);
        }
    }
}
