package shop;

import io.wxpay.NotifyDecision;
import io.wxpay.WxPay;
import io.wxpay.WxPayClient;
import io.wxpay.WxPayException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * WeChat's payment notification, done right: the raw body goes to wxpay
 * (signature, appid, mch_id, the shop's own amount, then orderquery), the
 * order is marked paid once, and only then is WeChat told it arrived.
 */
@RestController
public class NotifyController {
    private static final Logger log = LoggerFactory.getLogger(NotifyController.class);
    private final WxPayClient wx;
    private final Orders orders;

    NotifyController(WxPayClient wx, Orders orders) {
        this.wx = wx;
        this.orders = orders;
    }

    @PostMapping(value = "/wxpay/notify", produces = MediaType.TEXT_XML_VALUE)
    ResponseEntity<String> notify(@RequestBody byte[] body) {
        NotifyDecision decision;
        try {
            decision = wx.handlePaymentNotify(body, no -> orders.find(no).map(o -> {
                Map<String, Object> mine = new HashMap<>();
                mine.put("total_fee", o.totalFee());
                mine.put("transaction_id", o.transactionId());
                return mine;
            }).orElse(null));
        } catch (WxPayException e) {
            log.warn("payment notification not handled: {}", e.getCode());
            return ResponseEntity.ok(WxPay.notifyFail("not handled"));
        }
        if (decision.getError() != null) {
            // A Signature or Mismatch is someone forging payments: alert, never mark paid.
            log.warn("payment notification refused: {} {}", decision.getError().getCode(), decision.getError().getMessage());
        }
        if (decision.isPaid()) {
            try {
                orders.markPaid(decision.getOutTradeNo(), decision.getTransactionId());
            } catch (RuntimeException e) {
                // Not recorded: WeChat must send it again.
                return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(WxPay.notifyFail("not recorded"));
            }
        }
        return ResponseEntity.ok(decision.getReply());
    }
}
