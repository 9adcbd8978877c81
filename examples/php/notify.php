<?php
/*
 * A notify handler for WeChat Pay, in plain PHP (php-fpm or `php -S`).
 * The shop's order lookup is represented by orders.json beside this file;
 * a real shop uses its database and marks the order paid in a transaction.
 */
require __DIR__ . '/../../bindings/php/autoload.php';  // or Composer's vendor/autoload.php

function respond(string $xml): void
{
    header('Content-Type: text/xml');
    echo $xml;
}

$config = json_decode(getenv('WXPAY_CONFIG') ?: '{}', true);
$orders = json_decode(@file_get_contents(getenv('SHOP_ORDERS') ?: __DIR__ . '/orders.json') ?: '{}', true);
$body = file_get_contents('php://input');

try {
    $wx = new WxPay\Client($config);
    $note = $wx->verifyPaymentNotify($body);              // signature, appid, mch_id
    if (!$note['paid']) {
        respond(WxPay\WxPay::notifyAck());                 // authentic, not a payment
        return;
    }
    $order = $orders[$note['out_trade_no']] ?? null;
    if ($order === null) {
        respond(WxPay\WxPay::notifyFail('unknown order'));
        return;
    }
    $wx->checkAmount($note, (int) $order['total_fee']);   // the amount is ours to check
    $wx->confirmPayment($note);                            // orderquery agrees
    // mark_paid_once($note['out_trade_no'], $note['transaction_id']);
    respond(WxPay\WxPay::notifyAck());
} catch (WxPay\Exception $e) {
    error_log('notify refused: ' . $e->kind . ': ' . $e->getMessage());
    respond(WxPay\WxPay::notifyFail($e->kind));
}
