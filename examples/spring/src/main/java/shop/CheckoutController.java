package shop;

import io.wxpay.WxPayClient;
import io.wxpay.WxPayException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** OAuth for the shopper's openid, then an order with its pay params for the page. */
@RestController
public class CheckoutController {
    /** The catalogue: prices are the shop's, in fen; the page only names the item. */
    static final Map<String, Long> PRICES = Map.of("green-tea", 1500L, "oolong", 2800L);

    private final WxPayClient wx;
    private final Orders orders;
    private final String publicUrl;

    CheckoutController(WxPayClient wx, Orders orders, @Value("${shop.public-url:}") String publicUrl) {
        this.wx = wx;
        this.orders = orders;
        this.publicUrl = publicUrl;
    }

    private String base() {
        return publicUrl.isEmpty() ? ServletUriComponentsBuilder.fromCurrentContextPath().toUriString() : publicUrl;
    }

    /** Sends the shopper to WeChat's OAuth page, with a state bound to this session. */
    @GetMapping("/oauth/start")
    ResponseEntity<Void> start(HttpSession session) throws WxPayException {
        String url = wx.oauthAuthorizeUrl(base() + "/oauth/callback", "snsapi_base", wx.oauthState(session.getId()));
        return ResponseEntity.status(HttpStatus.FOUND).header("Location", url).build();
    }

    /** WeChat's redirect: the state must be this session's, then the code becomes the openid. */
    @GetMapping("/oauth/callback")
    ResponseEntity<Void> callback(@RequestParam String code, @RequestParam String state, HttpSession session)
            throws WxPayException {
        wx.checkOauthState(state, session.getId());
        session.setAttribute("openid", wx.oauthExchangeCode(code).get("openid"));
        return ResponseEntity.status(HttpStatus.FOUND).header("Location", base() + "/").build();
    }

    /** Places an order for the signed-in shopper; the page calls WeixinJSBridge with `pay`. */
    @PostMapping("/orders")
    ResponseEntity<Map<String, Object>> order(@RequestParam String item, HttpSession session, HttpServletRequest request)
            throws WxPayException {
        Object openid = session.getAttribute("openid");
        Long price = PRICES.get(item);
        if (openid == null) return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "sign in first"));
        if (price == null) return ResponseEntity.badRequest().body(Map.of("error", "no such item"));
        String no = "spring-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        orders.place(new Orders.Order(no, (String) openid, price, null));
        Map<String, Object> placed = wx.unifiedOrder(Map.of("body", "Tea house-" + item, "out_trade_no", no,
            "total_fee", price, "spbill_create_ip", request.getRemoteAddr(), "openid", openid,
            "notify_url", base() + "/wxpay/notify"));
        return ResponseEntity.ok(Map.of("out_trade_no", no,
            "pay", wx.jsapiParams((String) placed.get("prepay_id")),
            "config", wx.jssdkConfig(base() + "/", List.of("chooseWXPay"))));
    }

    /** The shop's view of an order (the page polls it after paying). */
    @GetMapping("/orders/{no}")
    ResponseEntity<Map<String, Object>> show(@PathVariable String no) {
        return orders.find(no)
            .map(o -> ResponseEntity.ok(Map.<String, Object>of("out_trade_no", o.outTradeNo(), "total_fee", o.totalFee(),
                "paid", o.transactionId() != null)))
            .orElse(ResponseEntity.notFound().build());
    }

    /** wxpay's typed errors as answers: a retryable one is the upstream's fault. */
    @ExceptionHandler(WxPayException.class)
    ResponseEntity<Map<String, Object>> failed(WxPayException e) {
        HttpStatus status = e instanceof WxPayException.InvalidInput ? HttpStatus.BAD_REQUEST
            : e.isRetryable() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY;
        return ResponseEntity.status(status).body(Map.of("error", e.getCode()));
    }
}
