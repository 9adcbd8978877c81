package bench;

import com.github.binarywang.wxpay.bean.notify.WxPayOrderNotifyResult;
import com.github.binarywang.wxpay.util.SignUtils;
import io.wxpay.Json;
import io.wxpay.WxPay;
import io.wxpay.WxPayClient;
import io.wxpay.WxPayClientV3;
import com.wechat.pay.java.core.cipher.RSASigner;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RSAPublicKeyNotificationConfig;
import com.wechat.pay.java.core.notification.RequestParam;
import com.wechat.pay.java.service.payments.model.Transaction;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
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
 * wxpay's jar against WxJava (weixin-java-pay), and for API v3 against WeChat
 * Pay's own wechatpay-java, operation by operation on bench/workload.json:
 * each operation's outputs are compared first (a
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

    static byte[] der(Path pem) throws Exception {
        String text = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(text);
    }

    static boolean rsaParamsVerify(Map<String, Object> p, PublicKey key) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(key);
            s.update((p.get("appId") + "\n" + p.get("timeStamp") + "\n" + p.get("nonceStr") + "\n" + p.get("package") + "\n")
                .getBytes(StandardCharsets.UTF_8));
            return "RSA".equals(p.get("signType")) && s.verify(Base64.getDecoder().decode((String) p.get("paySign")));
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * API v3's operations. wechatpay-java refuses a notification more than
     * five minutes old, so the workload's notification body is signed afresh
     * here with the test WeChat Pay public key's private half (as the
     * simulator signs), and both libraries read it at the current time.
     */
    @SuppressWarnings("unchecked")
    static List<Operation> v3Operations(Path root, Map<String, Object> workload, String appid, String prepay)
            throws Exception {
        Map<String, Object> v3 = (Map<String, Object>) workload.get("v3");
        Map<String, Object> request = (Map<String, Object>) v3.get("request");
        Path keys = root.resolve("tests/vectors/v3/keys");
        Map<String, Object> notes = (Map<String, Object>) Json.read(Files.readString(root.resolve("tests/vectors/v3/notifications.json")));
        Map<String, Object> c = ((List<Map<String, Object>>) notes.get("cases")).stream()
            .filter(x -> v3.get("notification").equals(x.get("name"))).findFirst().orElseThrow();
        String body = (String) c.get("body");
        String apiv3Key = (String) c.get("apiv3_key");
        String publicKeyId = "PUB_KEY_ID_0114232025120400000000000000000001";
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        String timestamp = String.valueOf(System.currentTimeMillis() / 1000);
        String nonce = UUID.randomUUID().toString().replace("-", "");
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(rsa.generatePrivate(new PKCS8EncodedKeySpec(der(keys.resolve("wechatpay_key.pem")))));
        signer.update((timestamp + "\n" + nonce + "\n" + body + "\n").getBytes(StandardCharsets.UTF_8));
        String signature = Base64.getEncoder().encodeToString(signer.sign());
        Map<String, Object> headers = Map.of("Wechatpay-Timestamp", timestamp, "Wechatpay-Nonce", nonce,
            "Wechatpay-Signature", signature, "Wechatpay-Serial", publicKeyId);
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);

        Map<String, Object> options = new LinkedHashMap<>();
        options.put("mchid", request.get("mchid"));
        options.put("appid", appid);
        options.put("merchant_serial", request.get("serial"));
        options.put("apiv3_key", apiv3Key);
        options.put("private_key_path", keys.resolve("merchant_key.pem").toString());
        options.put("public_key_id", publicKeyId);
        options.put("public_key_path", keys.resolve("wechatpay_public_key.pem").toString());
        options.put("auto_certificates", false);
        options.put("base_url", "http://127.0.0.1:9");
        WxPayClientV3 v3client = new WxPayClientV3(options);

        NotificationParser parser = new NotificationParser(new RSAPublicKeyNotificationConfig.Builder()
            .publicKeyFromPath(keys.resolve("wechatpay_public_key.pem").toString()).publicKeyId(publicKeyId)
            .apiV3Key(apiv3Key).build());
        RequestParam param = new RequestParam.Builder().serialNumber(publicKeyId).nonce(nonce).signature(signature)
            .timestamp(timestamp).body(body).build();
        PrivateKey merchantKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(der(keys.resolve("merchant_key.pem"))));
        RSASigner peerSigner = new RSASigner((String) request.get("serial"), merchantKey);
        PublicKey merchantPublic = java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(Files.newInputStream(keys.resolve("merchant_cert.pem"))).getPublicKey();
        Map<String, Object> expected = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) c.get("expect")).get("ok")).get("resource");

        return List.of(
            new Operation("v3_notification", Map.of(
                "wxpay", () -> v3client.parseNotification(headers, bodyBytes),
                "wechatpay-java", () -> parser.parse(param, Transaction.class)),
                out -> {
                    Map<String, Object> ours = (Map<String, Object>) ((Map<String, Object>) out.get("wxpay")).get("resource");
                    Transaction theirs = (Transaction) out.get("wechatpay-java");
                    return ours.equals(expected) && theirs.getOutTradeNo().equals(expected.get("out_trade_no"))
                        && theirs.getAmount().getTotal() == ((Number) ((Map<String, Object>) expected.get("amount")).get("total")).intValue();
                }),
            new Operation("v3_jsapi_params", Map.of(
                "wxpay", () -> v3client.jsapiParams(prepay),
                // What wechatpay-java's JsapiServiceExtension does once it has the prepay_id.
                "wechatpay-java", () -> {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("appId", appid);
                    p.put("timeStamp", String.valueOf(System.currentTimeMillis() / 1000));
                    p.put("nonceStr", UUID.randomUUID().toString().replace("-", ""));
                    p.put("package", "prepay_id=" + prepay);
                    p.put("signType", "RSA");
                    p.put("paySign", peerSigner.sign(p.get("appId") + "\n" + p.get("timeStamp") + "\n" + p.get("nonceStr")
                        + "\n" + p.get("package") + "\n").getSign());
                    return p;
                }),
                out -> out.values().stream().allMatch(p -> rsaParamsVerify((Map<String, Object>) p, merchantPublic))));
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

        Map<String, Object> v3 = (Map<String, Object>) workload.get("v3");
        Map<String, Object> v3names = (Map<String, Object>) v3.get("operations");
        double v3target = ((Number) ((Map<String, Object>) v3.get("targets")).get("binding_vs_peer")).doubleValue();
        List<Operation> all = new ArrayList<>(ops);
        all.addAll(v3Operations(root, workload, appid, prepay));
        Map<String, Object> results = new LinkedHashMap<>();
        System.out.printf("%-34s %12s %12s %9s %7s%n", "operation", "wxpay ns/op", "peer ns/op", "speed-up", "target");
        for (Operation op : all) {
            boolean isV3 = op.id().startsWith("v3_");
            String name = (String) (isV3 ? v3names : names).get(op.id());
            String peerName = isV3 ? "wechatpay-java" : "wxjava";
            double goal = isV3 ? v3target : target;
            Map<String, Object> out = new LinkedHashMap<>();
            for (var e : op.libraries().entrySet()) out.put(e.getKey(), e.getValue().run());
            if (!op.agree().test(out)) {
                System.out.printf("%-34s outputs disagree: not timed %s%n", name, out);
                results.put(op.id(), null);
                continue;
            }
            Map<String, Double> ns = interleaved(new java.util.TreeMap<>(op.libraries()));
            double mine = ns.get("wxpay");
            Double peer = ns.get(peerName);
            if (peer == null) {
                results.put(op.id(), Map.of("wxpay", mine, "peers", Map.of()));
                System.out.printf("%-34s %12.0f %12s   (no peer has it)%n", name, mine, "—");
                continue;
            }
            results.put(op.id(), Map.of("wxpay", mine, "peers", Map.of(peerName, peer), "target", goal));
            System.out.printf("%-34s %12.0f %12.0f %8.1fx %6.1fx %s (vs %s)%n", name, mine, peer, peer / mine, goal,
                peer / mine >= goal ? "met" : "MISSED", peerName);
        }
        client.close();
        Path dir = root.resolve("target/bench");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("jvm.json"), Json.write(results));
    }
}
