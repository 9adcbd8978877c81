package shop;

import io.wxpay.WxPayClientV3;
import io.wxpay.WxPayException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * WeChat's API v3 payment notification: Spring's HttpHeaders and the raw
 * body go to wxpay (signature over the raw bytes, decryption, the shop's own
 * amount, a confirming query); the order is marked paid once, and WeChat is
 * answered with the status and body wxpay decided (204, or 401/500 to have
 * it sent again).
 */
@RestController
public class NotifyV3Controller {
    private static final Logger log = LoggerFactory.getLogger(NotifyV3Controller.class);
    private final WxPayClientV3 wx;
    private final Orders orders;

    NotifyV3Controller(WxPayClientV3 wx, Orders orders) {
        this.wx = wx;
        this.orders = orders;
    }

    @PostMapping(value = "/wxpay/v3/notify", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> notify(@RequestHeader HttpHeaders headers, @RequestBody byte[] body) {
        Map<String, Object> decision;
        try {
            decision = wx.handlePaymentNotify(headers, body, no -> orders.find(no).map(o -> {
                Map<String, Object> mine = new HashMap<>();
                mine.put("total_fee", o.totalFee());
                mine.put("transaction_id", o.transactionId());
                return mine;
            }).orElse(null));
        } catch (WxPayException e) {
            log.warn("v3 payment notification not handled: {}", e.getCode());
            return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body("{\"code\":\"FAIL\",\"message\":\"not handled\"}");
        }
        if (decision.get("error") != null) {
            log.warn("v3 payment notification refused: {}", decision.get("error"));
        }
        if ("paid".equals(decision.get("status"))) {
            try {
                orders.markPaid((String) decision.get("out_trade_no"), (String) decision.get("transaction_id"));
            } catch (RuntimeException e) {
                return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body("{\"code\":\"FAIL\",\"message\":\"not recorded\"}");
            }
        }
        int status = ((Number) decision.get("http_status")).intValue();
        return ResponseEntity.status(status).body((String) decision.get("body"));
    }
}
