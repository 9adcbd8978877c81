<?php
/*
 * GET /checkout.php?product=book: the shopper's openid through OAuth
 * (oauth.php), an order for the catalogue's price, the unified order, and
 * the page that pays with WeixinJSBridge after wx.config. With 'api' => 'v3'
 * the order is a v3 prepay and the params are signed with RSA.
 */
require __DIR__ . '/shop.php';

session_start();
$product = (string) ($_GET['product'] ?? '');
if (!isset(PRODUCTS[$product])) {
    http_response_code(400);
    echo "unknown product\n";
    return;
}
if (!isset($_SESSION['openid'])) {
    $_SESSION['after_oauth'] = $_SERVER['REQUEST_URI'];
    header('Location: /oauth.php');
    http_response_code(302);
    return;
}
[$name, $fee] = PRODUCTS[$product];  // the amount comes from the server, never the browser
$outTradeNo = 'php' . date('YmdHis') . bin2hex(random_bytes(4));
with_orders($config, function (array &$orders) use ($outTradeNo, $product, $fee): void {
    $orders[$outTradeNo] = ['product' => $product, 'total_fee' => $fee, 'openid' => $_SESSION['openid'],
        'status' => 'NOTPAY', 'transaction_id' => null, 'paid_events' => 0];
});
try {
    if ($wx3 !== null) {
        $answer = $wx3->prepay([
            'kind' => 'jsapi', 'description' => "wxpay-shop-$name", 'out_trade_no' => $outTradeNo, 'total' => $fee,
            'openid' => $_SESSION['openid'], 'notify_url' => rtrim($config['shop_url'], '/') . '/notify_v3.php',
        ]);
        $payParams = $wx3->jsapiParams($answer['prepay_id']);  // signType RSA
    } else {
        $order = $wx->unifiedOrder([
            'body' => "wxpay-shop-$name", 'out_trade_no' => $outTradeNo, 'total_fee' => $fee,
            'spbill_create_ip' => $_SERVER['REMOTE_ADDR'] ?? '127.0.0.1', 'openid' => $_SESSION['openid'],
            'notify_url' => rtrim($config['shop_url'], '/') . '/notify.php',
        ]);
        $payParams = $wx->jsapiParams($order['prepay_id']);
    }
    $pageUrl = rtrim($config['shop_url'], '/') . $_SERVER['REQUEST_URI'];
    $wxConfig = $wx->jssdkConfig($pageUrl, ['chooseWXPay']);
} catch (WxPay\Exception $e) {
    error_log("checkout failed ({$e->kind}): {$e->getMessage()}");
    http_response_code(503);
    echo "WeChat Pay is not available right now; please try again\n";
    return;
}
$json = fn($v) => json_encode($v, JSON_UNESCAPED_SLASHES | JSON_HEX_TAG | JSON_HEX_AMP);
?><!doctype html>
<meta charset="utf-8">
<title>Pay for <?= htmlspecialchars($name) ?></title>
<p>Order <span id="out-trade-no"><?= htmlspecialchars($outTradeNo) ?></span>: <?= sprintf('%.2f', $fee / 100) ?> yuan</p>
<p id="state">Waiting for payment…</p>
<script src="https://res.wx.qq.com/open/js/jweixin-1.6.0.js"></script>
<script>
const payParams = <?= $json($payParams) ?>;
const wxConfig = <?= $json($wxConfig) ?>;
wx.config(Object.assign({debug: false}, wxConfig));
wx.ready(() => WeixinJSBridge.invoke('getBrandWCPayRequest', payParams, () => {
  // Whatever the bridge says, only the shop's own server (told by the notification) says paid.
  const poll = () => fetch('/status.php?out_trade_no=<?= rawurlencode($outTradeNo) ?>').then(r => r.json())
    .then(s => s.status === 'PAID' ? (document.getElementById('state').textContent = 'Paid')
                                   : setTimeout(poll, 1000));
  poll();
}));
</script>
