<?php
/*
 * A notify handler for WeChat Pay, in plain PHP (php-fpm or `php -S`).
 * The shop's order lookup is represented by orders.json beside this file
 * (out_trade_no => total_fee, and transaction_id once paid); a real shop
 * uses its database and marks the order paid in a transaction.
 */
require __DIR__ . '/../../bindings/php/autoload.php';  // or Composer's vendor/autoload.php

$config = json_decode(getenv('WXPAY_CONFIG') ?: '{}', true);
$ordersFile = getenv('SHOP_ORDERS') ?: __DIR__ . '/orders.json';
$orders = json_decode(@file_get_contents($ordersFile) ?: '{}', true);

$wx = new WxPay\Client($config);
// Verify, compare with the shop's order, confirm with orderquery, decide the reply.
$decision = $wx->handlePaymentNotify(file_get_contents('php://input'), fn(string $no) => $orders[$no] ?? null);
if ($decision['status'] === 'paid') {
    // Mark the order paid (once) before answering; if this fails, WeChat sends it again.
    $orders[$decision['out_trade_no']]['transaction_id'] = $decision['transaction_id'];
    file_put_contents($ordersFile, json_encode($orders), LOCK_EX);
} elseif ($decision['status'] === 'refused') {
    error_log('notify refused: ' . $decision['error']['code'] . ': ' . $decision['error']['message']);
}
header('Content-Type: text/xml');
echo $decision['reply'];
