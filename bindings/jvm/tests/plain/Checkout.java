// A user's plain Java program against the wxpay jar: no Kotlin, no build
// tool, the native library loaded from inside the jar.
import io.wxpay.WxPay;
import io.wxpay.WxPayClient;
import io.wxpay.WxPayException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

public class Checkout {
    public static void main(String[] args) throws Exception {
        String key = "192006250b4c09247ec02edce69f6a2d";
        // WeChat's own example of a signature.
        Map<String, Object> example = Map.of("appid", "wxd930ea5d5a258f4f", "mch_id", "10000100",
            "device_info", "1000", "body", "test", "nonce_str", "ibuaiVcKdpRxkhJA");
        String sign = WxPay.sign(example, key, "MD5");
        check(sign.equals("9A0A8659F005D6984697E2CA0A9CF3B7"), "official vector signed: " + sign);

        Map<String, Object> notify = new LinkedHashMap<>();
        notify.put("return_code", "SUCCESS");
        notify.put("result_code", "SUCCESS");
        notify.put("appid", "wxd930ea5d5a258f4f");
        notify.put("mch_id", "10000100");
        notify.put("nonce_str", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS");
        notify.put("openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
        notify.put("trade_type", "JSAPI");
        notify.put("bank_type", "CMC");
        notify.put("total_fee", "1500");
        notify.put("cash_fee", "1500");
        notify.put("fee_type", "CNY");
        notify.put("transaction_id", "4200000001202612010000000001");
        notify.put("out_trade_no", "plain-java-0001");
        notify.put("time_end", "20261201120000");
        notify.put("is_subscribe", "N");
        byte[] body = WxPay.toSignedXml(notify, key, "MD5").getBytes(StandardCharsets.UTF_8);
        try (WxPayClient wx = new WxPayClient(Map.of("appid", "wxd930ea5d5a258f4f", "mch_id", "10000100",
                "api_key", key, "sign_type", "MD5"))) {
            Map<String, Object> paid = wx.verifyPaymentNotify(body, 1500L);
            check(Boolean.TRUE.equals(paid.get("paid")) && "plain-java-0001".equals(paid.get("out_trade_no")),
                "notification verified: " + paid.get("out_trade_no"));
            try {
                wx.verifyPaymentNotify(new String(body, StandardCharsets.UTF_8).replace("1500", "1").getBytes(StandardCharsets.UTF_8));
                check(false, "a forged notification is refused");
            } catch (WxPayException.Signature e) {
                check(e.getCode().equals("WXPAY_SIGNATURE") && !e.isRetryable(), "a forged notification is refused: " + e.getCode());
            }
        }
        System.out.println("plain Java: all checks passed");
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            System.err.println("FAILED: " + what);
            System.exit(1);
        }
        System.out.println("ok: " + what);
    }
}
