package shop;

import io.wxpay.WxPayClient;
import io.wxpay.WxPayClientV3;
import io.wxpay.WxPayException;
import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A shop selling through an official account page, paid with WeChat Pay JSAPI. */
@SpringBootApplication
public class ShopApplication {
    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }

    /** One client for the whole application: it is thread-safe and caches the tokens. */
    @Bean(destroyMethod = "close")
    WxPayClient wxpay(@Value("${wxpay.appid}") String appid, @Value("${wxpay.mch-id}") String mchId,
                      @Value("${wxpay.api-key}") String apiKey, @Value("${wxpay.app-secret}") String appSecret,
                      @Value("${wxpay.base-url:}") String baseUrl) throws WxPayException {
        Map<String, Object> options = new HashMap<>(Map.of("appid", appid, "mch_id", mchId, "api_key", apiKey,
            "app_secret", appSecret));
        if (!baseUrl.isEmpty()) options.put("base_url", baseUrl);
        return new WxPayClient(options);
    }

    /**
     * The API v3 client: the files the merchant platform hands out (the
     * defaults are the simulator's test merchant, in tests/vectors/v3/keys).
     */
    @Bean(destroyMethod = "close")
    WxPayClientV3 wxpayV3(@Value("${wxpay.appid}") String appid, @Value("${wxpay.v3.mchid}") String mchid,
                          @Value("${wxpay.v3.merchant-serial}") String serial, @Value("${wxpay.v3.apiv3-key}") String apiv3Key,
                          @Value("${wxpay.v3.private-key-path}") String privateKey,
                          @Value("${wxpay.v3.public-key-id}") String publicKeyId,
                          @Value("${wxpay.v3.public-key-path}") String publicKey,
                          @Value("${wxpay.v3.auto-certificates:true}") boolean autoCertificates,
                          @Value("${wxpay.base-url:}") String baseUrl) throws WxPayException {
        Map<String, Object> options = new HashMap<>(Map.of("mchid", mchid, "appid", appid, "merchant_serial", serial,
            "apiv3_key", apiv3Key, "private_key_path", privateKey, "auto_certificates", autoCertificates));
        // A merchant still on platform certificates has no WeChat Pay public key yet.
        if (!publicKeyId.isEmpty()) {
            options.put("public_key_id", publicKeyId);
            options.put("public_key_path", publicKey);
        }
        if (!baseUrl.isEmpty()) options.put("base_url", baseUrl);
        return new WxPayClientV3(options);
    }
}
