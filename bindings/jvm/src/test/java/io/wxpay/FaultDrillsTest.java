package io.wxpay;

import static io.wxpay.Vectors.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * tests/vectors/security/faults.json from Java: every client operation
 * against each fault wxpay-sim injects — error kind, retryable, the attempts
 * that met the fault, those that reached WeChat, and failover.
 */
class FaultDrillsTest {
    interface Call {
        Object run(WxPayClient client, Map<String, Object> args) throws WxPayException;
    }

    /** Each operation as a Java shop calls it, with the drill's named arguments. */
    static final Map<String, Call> CALLS = Map.of(
        "unified_order", WxPayClient::unifiedOrder,
        "query_order", WxPayClient::queryOrder,
        "close_order", (c, a) -> c.closeOrder((String) a.get("out_trade_no")),
        "refund", WxPayClient::refund,
        "query_refund", WxPayClient::queryRefund,
        "download_bill", WxPayClient::downloadBill,
        "oauth_exchange_code", (c, a) -> c.oauthExchangeCode((String) a.get("code")),
        "access_token", (c, a) -> c.accessToken(),
        "jsapi_ticket", (c, a) -> c.jsapiTicket());

    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String setUp(Sim sim, WxPayClient client, String setup, String no) throws Exception {
        if (List.of("placed", "placed_5_minutes_ago", "paid", "refunded").contains(setup)) {
            Map<String, Object> order = client.unifiedOrder(Map.of("body", "drill", "out_trade_no", no, "total_fee", 990,
                "spbill_create_ip", "127.0.0.1", "openid", Sim.OPENID, "notify_url", "http://127.0.0.1:9/notify"));
            if (setup.equals("paid") || setup.equals("refunded")) {
                Object paid = map(sim.post("/sim/jsapi/pay", client.jsapiParams((String) order.get("prepay_id")))).get("err_msg");
                assertEquals("get_brand_wcpay_request:ok", paid);
            }
            if (setup.equals("refunded")) {
                client.refund(Map.of("out_trade_no", no, "out_refund_no", no + "-r", "total_fee", 990, "refund_fee", 990));
            }
        }
        // Five minutes at the tests' time scale of 1/1000.
        if (setup.equals("placed_5_minutes_ago")) Thread.sleep(350);
        if (setup.equals("oauth_code")) {
            String location = sim.send("GET", client.oauthAuthorizeUrl("https://shop.example/cb", "snsapi_base", "drill")
                .split("#")[0], null).headers().firstValue("location").orElseThrow();
            for (String kv : URI.create(location).getRawQuery().split("&")) {
                String[] p = kv.split("=", 2);
                if (p[0].equals("code")) return URLDecoder.decode(p[1], StandardCharsets.UTF_8);
            }
            throw new IllegalStateException("no code in " + location);
        }
        if (setup.equals("token")) client.accessToken();
        return "";
    }

    static Map<String, Object> fill(Map<String, Object> args, String no, String code) {
        String today = ZonedDateTime.now(ZoneOffset.ofHours(8)).format(DateTimeFormatter.BASIC_ISO_DATE).substring(0, 8);
        return map(Json.read(Json.write(args).replace("{no}", no).replace("{code}", code).replace("{today}", today)));
    }

    static long stat(Map<String, Object> stats, String name) {
        Object v = stats.get(name);
        return v == null ? 0 : (Long) v;
    }

    @Test
    void everyOperationMeetsEveryFaultAsTheDrillsSay() throws Exception {
        List<Map<String, Object>> drills = Vectors.cases("security/faults.json");
        assertTrue(drills.size() >= 100);
        List<String> wrong = new ArrayList<>();
        try (Sim sim = new Sim("--instant-bills")) {
            for (int i = 0; i < drills.size(); i++) {
                Map<String, Object> c = drills.get(i);
                Map<String, Object> fault = map(c.get("fault"));
                boolean dead = "dead_primary".equals(fault.get("kind"));
                Map<String, Object> options = sim.options("retries", 1, "retry_backoff", 0.01, "timeout", 1.0,
                    "overall_timeout", 5);
                if (dead) {
                    options.put("pay_base_url", "http://127.0.0.1:" + closedPort());
                    options.put("pay_backup_url", sim.url);
                }
                try (WxPayClient client = new WxPayClient(options)) {
                    String no = String.format("jvm-drill-%04d", i);
                    String code = setUp(sim, client, (String) c.get("setup"), no);
                    if (!dead) {
                        sim.post("/sim/faults", Map.of("path", c.get("path"), "kind", fault.get("kind"),
                            "count", fault.get("count"), "delay_ms", fault.get("delay_ms")));
                    }
                    Map<String, Object> before = sim.getJson("/sim/stats");
                    WxPayException error = null;
                    long started = System.nanoTime();
                    try {
                        CALLS.get((String) c.get("operation")).run(client, fill(map(c.get("args")), no, code));
                    } catch (WxPayException e) {
                        error = e;
                    }
                    if ("delay".equals(fault.get("kind"))) {
                        // An attempt the client gave up on still reaches WeChat when its delay ends:
                        // let it land here, not in the next drill's counts.
                        long lands = started + ((Long) fault.get("delay_ms") + 100) * ((Long) fault.get("count")) * 1_000_000L;
                        Thread.sleep(Math.max(0, (lands - System.nanoTime()) / 1_000_000L));
                    }
                    sim.send("DELETE", "/sim/faults", null);
                    Map<String, Object> after = sim.getJson("/sim/stats");
                    Map<String, Object> expect = map(c.get("expect"));
                    List<String> says = new ArrayList<>();
                    if (Boolean.TRUE.equals(expect.get("ok")) && error != null) says.add("failed: " + error);
                    if (expect.get("error") != null) {
                        Map<String, Object> want = map(expect.get("error"));
                        if (error == null) {
                            says.add("succeeded");
                        } else if (!want.get("kind").equals(error.getKind()) || !want.get("retryable").equals(error.isRetryable())) {
                            says.add(error.getKind() + " retryable=" + error.isRetryable() + " (" + error.getMessage() + ")");
                        }
                    }
                    long met = stat(after, "faults_injected") - stat(before, "faults_injected");
                    if (met != (Long) c.get("faults")) says.add(met + " attempts met the fault");
                    if (c.get("reached") != null) {
                        String s = (String) c.get("stat");
                        long reached = stat(after, s) - stat(before, s);
                        if (reached != (Long) c.get("reached")) says.add(reached + " reached " + s);
                    }
                    if (!says.isEmpty()) wrong.add(c.get("name") + ": " + String.join("; ", says));
                }
            }
        }
        assertEquals(List.of(), wrong);
    }
}
