<?php
/*
 * The scan callback of a Native mode-one QR code printed on a shelf label
 * (the link from $wx->nativeQrLink($productId), set as the callback URL in
 * the merchant platform): WeChat says who scanned which product; the shop
 * places the order and answers with its prepay_id, or refuses with a
 * message the payer sees. The payment then arrives at notify.php.
 */
require __DIR__ . '/shop.php';

header('Content-Type: text/xml');
try {
    $scan = $wx->verifyScanCallback(file_get_contents('php://input'));  // WeChat's signature, this merchant
    $product = PRODUCTS[$scan['product_id']] ?? null;
    if ($product === null) {
        echo $wx->nativeScanRefusal('商品已下架');
        return;
    }
    $no = 'php-native-' . bin2hex(random_bytes(8));
    with_orders($config, function (array &$orders) use ($no, $product): void {
        $orders[$no] = ['product' => $product[0], 'total_fee' => $product[1], 'status' => 'NEW'];
    });
    $order = $wx->unifiedOrder(['body' => $product[0], 'out_trade_no' => $no, 'total_fee' => $product[1],
        'spbill_create_ip' => $_SERVER['REMOTE_ADDR'] ?? '127.0.0.1', 'trade_type' => 'NATIVE',
        'product_id' => $scan['product_id'], 'openid' => $scan['openid'],
        'notify_url' => $config['shop_url'] . '/notify.php']);
    echo $wx->nativeScanReply($order['prepay_id']);
} catch (WxPay\Exception $e) {
    error_log('scan refused: ' . $e->getMessage());
    echo WxPay\WxPay::notifyFail('refused');
}
