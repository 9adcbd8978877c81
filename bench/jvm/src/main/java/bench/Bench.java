package bench;

import com.github.binarywang.wxpay.bean.notify.WxPayOrderNotifyResult;
import com.github.binarywang.wxpay.util.SignUtils;
import io.wxpay.Json;
import io.wxpay.WxPay;
import io.wxpay.WxPayClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import me.chanjar.weixin.common.util.crypto.SHA1;

/**
 * wxpay's jar against WxJava (weixin-java-pay), operation by operation on
 * bench/workload.json: each operation's outputs are compared first (a
 * disagreement is reported, not timed); then, after a JIT warm-up, every
 * library runs in interleaved rounds and the median of 7 gives ns/op.
 * Writes target/bench/jvm.json for bench/report.py.
 *
 *   make bench   (or, after make jvm: cd bench/jvm && mvn -Dmaven.repo.local=../../.tools/m2 compile exec:java)
 */
public final class Bench {
    interface Op {
        Object run() throws Exception;
    }

    record Operation(String id, Map<String, Op> libraries, java.util.function.Predicate<Map<String, Object>> agree) {}

    static long calibrate(Op op) throws Exception {
        for (long n = 1; ; n *= 2) {
            long t0 = System.nanoTime();
            for (long i = 0; i < n; i++) op.run();
            if (System.nanoTime() - t0 > 20_000_000L) return n;
        }
    }

    static double perCall(Op op, long n) throws Exception {
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) op.run();
        return (System.nanoTime() - t0) / (double) n;
    }

    static Map<String, Double> interleaved(Map<String, Op> libraries) throws Exception {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (var e : libraries.entrySet()) {
            // Warm-up: let the JIT compile both sides before anything is timed.
            long n = calibrate(e.getValue());
            for (int i = 0; i < 10; i++) perCall(e.getValue(), n);
            sizes.put(e.getKey(), calibrate(e.getValue()));
        }
        Map<String, List<Double>> times = new LinkedHashMap<>();
        for (int r = 0; r < 7; r++) {
            for (var e : libraries.entrySet()) {
                // Each library starts its round on a clean heap, so none pays
                // for the garbage another left behind.
                System.gc();
                times.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(perCall(e.getValue(), sizes.get(e.getKey())));
            }
        }
        Map<String, Double> median = new LinkedHashMap<>();
        for (var e : times.entrySet()) {
            List<Double> xs = new ArrayList<>(e.getValue());
            Collections.sort(xs);
            median.put(e.getKey(), xs.get(xs.size() / 2));
        }
        return median;
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("wxpay.root", "../.."));
        Map<String, Object> workload = (Map<String, Object>) Json.read(Files.readString(root.resolve("bench/workload.json")));
        String key = (String) workload.get("api_key");
        Map<String, Object> merchant = (Map<String, Object>) workload.get("merchant");
        Map<String, String> order = (Map<String, String>) workload.get("unified_order");
        String notifyXml = (String) workload.get("notify_xml");
        byte[] notifyBytes = notifyXml.getBytes(StandardCharsets.UTF_8);
        String prepay = (String) workload.get("prepay_id");
        Map<String, Object> js = (Map<String, Object>) workload.get("jssdk");
        Map<String, Object> expected = (Map<String, Object>) workload.get("expected");
        Map<String, Object> names = (Map<String, Object>) workload.get("operations");
        double target = ((Number) ((Map<String, Object>) workload.get("targets")).get("jvm_vs_peer")).doubleValue();
        String appid = (String) merchant.get("appid");

        WxPayClient client = new WxPayClient(Map.of("appid", appid, "mch_id", merchant.get("mch_id"), "api_key", key,
            "sign_type", "MD5"));
        List<Operation> ops = List.of(
            new Operation("sign_md5", Map.of(
                "wxpay", () -> WxPay.sign(order, key, "MD5"),
                "wxjava", () -> SignUtils.createSign(order, "MD5", key, null)),
                out -> out.values().stream().allMatch(expected.get("sign_md5")::equals)),
            new Operation("sign_hmac", Map.of(
                "wxpay", () -> WxPay.sign(order, key, "HMAC-SHA256"),
                "wxjava", () -> SignUtils.createSign(order, "HMAC-SHA256", key, null)),
                out -> out.values().stream().allMatch(expected.get("sign_hmac")::equals)),
            new Operation("signed_xml", Map.of("wxpay", () -> WxPay.toSignedXml(order, key, "MD5")),
                out -> {
                    try {
                        return WxPay.fromXml((String) out.get("wxpay")).get("sign").equals(expected.get("sign_md5"));
                    } catch (Exception e) {
                        return false;
                    }
                }),
            new Operation("verify_notify", Map.of(
                "wxpay", () -> client.verifyPaymentNotify(notifyBytes),
                "wxjava", () -> {
                    WxPayOrderNotifyResult result = WxPayOrderNotifyResult.fromXML(notifyXml);
                    if (!SignUtils.checkSign(result.toMap(), "MD5", key)) throw new IllegalStateException("bad sign");
                    return result.toMap();
                }),
                out -> Boolean.TRUE.equals(((Map<String, Object>) out.get("wxpay")).get("paid"))
                    // WxJava's map adds its own keys (xmlString, couponList); every field WeChat sent must agree.
                    && ((Map<String, Object>) ((Map<String, Object>) out.get("wxpay")).get("raw")).entrySet().stream()
                        .allMatch(e -> e.getValue().equals(((Map<String, Object>) out.get("wxjava")).get(e.getKey())))),
            new Operation("bridge_params", Map.of(
                "wxpay", () -> client.jsapiParams(prepay),
                // What WxJava's createOrder does for JSAPI once it has the prepay_id.
                "wxjava", () -> {
                    Map<String, String> p = new LinkedHashMap<>();
                    p.put("appId", appid);
                    p.put("timeStamp", String.valueOf(System.currentTimeMillis() / 1000));
                    p.put("nonceStr", UUID.randomUUID().toString().replace("-", ""));
                    p.put("package", "prepay_id=" + prepay);
                    p.put("signType", "MD5");
                    p.put("paySign", SignUtils.createSign(p, "MD5", key, null));
                    return p;
                }),
                out -> out.values().stream().allMatch(o -> {
                    Map<String, Object> p = new LinkedHashMap<>((Map<String, Object>) o);
                    Object sign = p.remove("paySign");
                    try {
                        return WxPay.sign(p, key, "MD5").equals(sign);
                    } catch (Exception e) {
                        return false;
                    }
                })),
            new Operation("jssdk_signature", Map.of(
                "wxpay", () -> WxPay.jssdkSignature((String) js.get("jsapi_ticket"), (String) js.get("noncestr"),
                    (Long) js.get("timestamp"), (String) js.get("url")),
                "wxjava", () -> SHA1.genWithAmple("jsapi_ticket=" + js.get("jsapi_ticket"), "noncestr=" + js.get("noncestr"),
                    "timestamp=" + js.get("timestamp"), "url=" + js.get("url"))),
                out -> out.values().stream().allMatch(js.get("signature")::equals)));

        Map<String, Object> results = new LinkedHashMap<>();
        System.out.printf("%-34s %12s %12s %9s %7s%n", "operation", "wxpay ns/op", "WxJava ns/op", "speed-up", "target");
        for (Operation op : ops) {
            String name = (String) names.get(op.id());
            Map<String, Object> out = new LinkedHashMap<>();
            for (var e : op.libraries().entrySet()) out.put(e.getKey(), e.getValue().run());
            if (!op.agree().test(out)) {
                System.out.printf("%-34s outputs disagree: not timed %s%n", name, out);
                results.put(op.id(), null);
                continue;
            }
            Map<String, Double> ns = interleaved(new java.util.TreeMap<>(op.libraries()));
            double mine = ns.get("wxpay");
            Double peer = ns.get("wxjava");
            if (peer == null) {
                results.put(op.id(), Map.of("wxpay", mine, "peers", Map.of()));
                System.out.printf("%-34s %12.0f %12s   (no peer has it)%n", name, mine, "—");
                continue;
            }
            results.put(op.id(), Map.of("wxpay", mine, "peers", Map.of("wxjava", peer), "target", target));
            System.out.printf("%-34s %12.0f %12.0f %8.1fx %6.1fx %s%n", name, mine, peer, peer / mine, target,
                peer / mine >= target ? "met" : "MISSED");
        }
        client.close();
        Path dir = root.resolve("target/bench");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("jvm.json"), Json.write(results));
    }
}
