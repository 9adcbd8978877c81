package shop;

import io.wxpay.WxPayClient;
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
}
