<?php
/*
 * Places a unified order and prints what the page hands to
 * WeixinJSBridge.invoke('getBrandWCPayRequest', …).
 *
 *   php -d ffi.enable=1 checkout.php http://127.0.0.1:8400 order-0001 990
 */
require __DIR__ . '/../../bindings/php/autoload.php';  // or Composer's vendor/autoload.php

[$_, $base, $outTradeNo, $fee] = $argv + [null, 'http://127.0.0.1:8400', 'php-order-0001', '990'];
$wx = new WxPay\Client([
    'appid' => 'wxd930ea5d5a258f4f', 'mch_id' => '10000100',
    'api_key' => '192006250b4c09247ec02edce69f6a2d', 'base_url' => $base,
]);
try {
    $order = $wx->unifiedOrder([
        'body' => 'php-shop-book', 'out_trade_no' => $outTradeNo, 'total_fee' => (int) $fee,
        'spbill_create_ip' => '127.0.0.1', 'openid' => 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
        'notify_url' => 'https://shop.example/notify.php',
    ]);
    echo 'prepay_id: ', $order['prepay_id'], "\n";
    echo 'getBrandWCPayRequest: ', json_encode($wx->jsapiParams($order['prepay_id'])), "\n";
} catch (WxPay\Exception $e) {
    fwrite(STDERR, "unified order failed ({$e->kind}): {$e->getMessage()}\n");
    exit(1);
}
