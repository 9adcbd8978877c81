package shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wxpay.WxPayClientV3;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The shop's API v3 side against a wxpay-sim signing with one of WeChat's
 * key modes (a subclass each: certificate, public-key, migrating), the
 * WxPayClientV3 bean configured as a merchant of that mode: an order, RSA
 * params paid in the simulator, the notification at /wxpay/v3/notify marking
 * the order paid, a redelivery acknowledged, a forged body refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class V3ModeTest {
    /** Starts a simulator signing with `mode`'s keys and points the shop at it. */
    static Process start(String mode, DynamicPropertyRegistry registry, String[] url) throws Exception {
        Process sim = new ProcessBuilder(System.getProperty("wxpay.sim"), "--port", "0", "--time-scale", "0.001",
            "--v3-keys", mode).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String first = new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8)).readLine();
        url[0] = first.substring("wxpay-sim listening on ".length()).trim();
        registry.add("wxpay.base-url", () -> url[0]);
        // A merchant of the certificate era has no public key; a public-key one no certificates.
        if (mode.equals("certificate")) registry.add("wxpay.v3.public-key-id", () -> "");
        if (mode.equals("public-key")) registry.add("wxpay.v3.auto-certificates", () -> "false");
        return sim;
    }

    abstract String simUrl();

    abstract String mode();

    @LocalServerPort
    int port;

    @Autowired
    Orders orders;

    @Autowired
    WxPayClientV3 wxV3;

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> post(String url, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(r::header);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aV3PaymentReachesTheV3NotifyEndpoint() throws Exception {
        String no = "spring-v3-" + System.nanoTime() % 1_000_000_000L;
        orders.place(new Orders.Order(no, "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", 990, null));
        String notify = "http://127.0.0.1:" + port + "/wxpay/v3/notify";
        Map<String, Object> answer = wxV3.prepay(Map.of("kind", "jsapi", "description", "green tea", "out_trade_no", no,
            "total", 990, "openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "notify_url", notify));
        Map<String, Object> params = wxV3.jsapiParams((String) answer.get("prepay_id"));
        assertEquals("RSA", params.get("signType"));
        HttpResponse<String> paid = post(simUrl() + "/sim/jsapi/pay", json.writeValueAsString(params), Map.of());
        assertTrue(paid.body().contains("get_brand_wcpay_request:ok"), paid.body());
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end && orders.find(no).orElseThrow().transactionId() == null) Thread.sleep(20);
        String transaction = orders.find(no).orElseThrow().transactionId();
        assertTrue(transaction != null, "marked paid by the v3 notification");

        // The bean holds what a merchant of this mode holds: certificates were downloaded, except by
        // a public-key merchant, who has none to download.
        String stats = http.send(HttpRequest.newBuilder(URI.create(simUrl() + "/sim/stats")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        long downloads = ((Number) json.readValue(stats, Map.class).get("v3_certificates")).longValue();
        assertEquals(mode().equals("public-key"), downloads == 0, mode() + ": " + downloads + " certificate downloads");

        // The delivery again, with the headers WeChat signed it with: acknowledged, nothing changes.
        // (The shop marks the order paid before it answers: wait until the simulator has the answer.)
        Map<String, Object> delivered = null;
        while (System.nanoTime() < end && (delivered == null || !"acknowledged".equals(delivered.get("status")))) {
            String list = http.send(HttpRequest.newBuilder(URI.create(simUrl() + "/sim/notifications")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            delivered = ((List<Map<String, Object>>) json.readValue(list, List.class)).stream()
                .filter(n -> no.equals(n.get("out_trade_no"))).findFirst().orElse(null);
            Thread.sleep(10);
        }
        assertTrue(delivered != null && "acknowledged".equals(delivered.get("status")), "the delivery was answered 2xx");
        Map<String, String> headers = new HashMap<>((Map<String, String>) delivered.get("v3_headers"));
        String body = (String) delivered.get("body");
        HttpResponse<String> again = post(notify, body, headers);
        assertEquals(204, again.statusCode(), again.body());
        assertEquals(transaction, orders.find(no).orElseThrow().transactionId());

        // The body altered after signing, or not signed at all: 401.
        HttpResponse<String> forged = post(notify, body.replaceFirst("\"id\"", " \"id\""), headers);
        assertEquals(401, forged.statusCode(), forged.body());
        HttpResponse<String> unsigned = post(notify, "{\"id\":\"forged\"}", Map.of());
        assertEquals(401, unsigned.statusCode(), unsigned.body());
    }
}
