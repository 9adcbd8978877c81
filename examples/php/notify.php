<?php
/*
 * The notify handler for WeChat Pay (notify_url), in plain PHP under
 * php-fpm or `php -S`: verify, compare with the shop's order, confirm with
 * orderquery, record the payment once, and answer the reply the library chose.
 */
require __DIR__ . '/shop.php';

// The lookup hands back the order's total_fee and transaction_id only: any
// other key of the shop's record is refused by name.
$lookup = fn(string $no) => with_orders($config, fn(array &$orders) => isset($orders[$no])
    ? ['total_fee' => $orders[$no]['total_fee'], 'transaction_id' => $orders[$no]['transaction_id'] ?? null]
    : null);
$decision = $wx->handlePaymentNotify(file_get_contents('php://input'), $lookup);
if ($decision['status'] === 'paid') {
    // Several deliveries of one payment may all come back "paid" (each is
    // confirmed on its own): under the lock, only an unpaid order is marked.
    with_orders($config, function (array &$orders) use ($decision): void {
        $order = &$orders[$decision['out_trade_no']];
        if (($order['status'] ?? '') !== 'PAID') {
            $order['status'] = 'PAID';
            $order['transaction_id'] = $decision['transaction_id'];
            $order['paid_events'] = ($order['paid_events'] ?? 0) + 1;  // fulfil the order here, once
        }
    });
} elseif ($decision['status'] === 'refused') {
    error_log('notify refused: ' . $decision['error']['code'] . ': ' . $decision['error']['message']);
}
header('Content-Type: text/xml');
echo $decision['reply'];
