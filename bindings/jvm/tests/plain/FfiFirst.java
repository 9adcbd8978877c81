import io.wxpay.WxPay;
import io.wxpay.WxPayClient;
import java.util.Map;

/**
 * From the jar: the generated io.wxpay.ffi used before the io.wxpay API
 * loads its own copy of the library. The free functions still work, and a
 * client says plainly why it cannot, instead of failing later with a
 * misleading error.
 */
public class FfiFirst {
    public static void main(String[] args) throws Exception {
        String ack = io.wxpay.ffi.WxpayKt.notifyAck();
        if (!ack.equals(WxPay.notifyAck())) throw new AssertionError("two answers: " + ack);
        try (WxPayClient wx = new WxPayClient(Map.of("appid", "wxd930ea5d5a258f4f", "mch_id", "10000100",
                "api_key", "192006250b4c09247ec02edce69f6a2d"))) {
            throw new AssertionError("a client over two copies of the library was made");
        } catch (IllegalStateException e) {
            if (!e.getMessage().contains("loaded twice")) throw new AssertionError(e.getMessage());
            System.out.println("ok: io.wxpay.ffi first is refused plainly: " + e.getMessage());
        }
    }
}
