package shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wxpay.WxPay;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The shop against wxpay-sim: sign-in, order, pay, and the notify endpoint. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ShopTest {
    static Process sim;
    static String simUrl;

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) throws Exception {
        sim = new ProcessBuilder(System.getProperty("wxpay.sim"), "--port", "0", "--time-scale", "0.001")
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String first = new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8)).readLine();
        simUrl = first.substring("wxpay-sim listening on ".length()).trim();
        registry.add("wxpay.base-url", () -> simUrl);
    }

    @AfterAll
    static void stop() {
        sim.destroy();
    }

    @LocalServerPort
    int port;

    @Autowired
    Orders orders;

    final ObjectMapper json = new ObjectMapper();
    final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER).build();

    HttpResponse<String> send(String method, String url, String body) throws Exception {
        String target = url.startsWith("http") ? url : "http://127.0.0.1:" + port + url;
        return browser.send(HttpRequest.newBuilder(URI.create(target))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    String location(HttpResponse<String> r) {
        assertEquals(302, r.statusCode(), r.body());
        return r.headers().firstValue("location").orElseThrow().split("#")[0];
    }

    @Test
    void aShopperSignsInOrdersAndPays() throws Exception {
        assertEquals(401, send("POST", "/orders?item=green-tea", null).statusCode(), "no order before sign-in");
        // OAuth through the simulated WeChat, back to this session's callback.
        String callback = location(send("GET", location(send("GET", "/oauth/start", null)), null));
        assertTrue(callback.startsWith("http://127.0.0.1:" + port + "/oauth/callback?"), callback);
        location(send("GET", callback, null));
        assertEquals(400, send("POST", "/orders?item=caviar", null).statusCode());

        HttpResponse<String> placed = send("POST", "/orders?item=green-tea", null);
        assertEquals(200, placed.statusCode(), placed.body());
        @SuppressWarnings("unchecked")
        Map<String, Object> order = json.readValue(placed.body(), Map.class);
        String no = (String) order.get("out_trade_no");
        HttpResponse<String> paid = send("POST", simUrl + "/sim/jsapi/pay", json.writeValueAsString(order.get("pay")));
        assertTrue(paid.body().contains("get_brand_wcpay_request:ok"), paid.body());

        // WeChat's notification reaches /wxpay/notify; the order is marked paid.
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end && orders.find(no).orElseThrow().transactionId() == null) Thread.sleep(20);
        assertTrue(orders.find(no).orElseThrow().transactionId() != null, "marked paid by the notification");
        assertTrue(send("GET", "/orders/" + no, null).body().contains("\"paid\":true"));
    }

    @Test
    void aForgedNotificationIsRefusedAndChangesNothing() throws Exception {
        orders.place(new Orders.Order("spring-forged-0001", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", 1500, null));
        Map<String, Object> fields = new LinkedHashMap<>(Map.of("return_code", "SUCCESS", "result_code", "SUCCESS",
            "appid", "wxd930ea5d5a258f4f", "mch_id", "10000100", "nonce_str", "n1", "openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
            "trade_type", "JSAPI", "total_fee", "1500", "transaction_id", "4200000001202612010000000042",
            "out_trade_no", "spring-forged-0001"));
        fields.put("time_end", "20261201120000");
        fields.put("bank_type", "CMC");
        fields.put("cash_fee", "1500");
        String forged = WxPay.toSignedXml(fields, "00000000000000000000000000000000", "HMAC-SHA256");
        HttpResponse<String> r = send("POST", "/wxpay/notify", forged);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("<return_code>FAIL</return_code>"), r.body());
        assertFalse(orders.find("spring-forged-0001").orElseThrow().transactionId() != null, "still unpaid");
        HttpResponse<String> hostile = send("POST", "/wxpay/notify", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml>&e;</xml>");
        assertTrue(hostile.body().contains("FAIL"), hostile.body());
    }
}
