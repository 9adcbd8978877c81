<?php
/*
 * The API v3 notify handler (notify_url with 'api' => 'v3'), in plain PHP
 * under php-fpm: the notification is verified over its raw body with the
 * request's headers (getallheaders()), decrypted, compared with the shop's
 * order and recorded once; WeChat gets the status and body the library chose
 * (204, or 401 for a bad signature / 500 otherwise, so that it sends again).
 */
require __DIR__ . '/shop.php';

if ($wx3 === null) {
    http_response_code(404);
    return;
}
// The lookup hands back the order's amount and recorded transaction only.
$lookup = fn(string $no) => with_orders($config, fn(array &$orders) => isset($orders[$no])
    ? ['total_fee' => $orders[$no]['total_fee'], 'transaction_id' => $orders[$no]['transaction_id'] ?? null]
    : null);
$decision = $wx3->handlePaymentNotify(getallheaders(), file_get_contents('php://input'), $lookup);
if ($decision['status'] === 'paid') {
    // Several deliveries may all come back "paid": under the lock, only an
    // unpaid order is marked.
    with_orders($config, function (array &$orders) use ($decision): void {
        $order = &$orders[$decision['out_trade_no']];
        if (($order['status'] ?? '') !== 'PAID') {
            $order['status'] = 'PAID';
            $order['transaction_id'] = $decision['transaction_id'];
            $order['paid_events'] = ($order['paid_events'] ?? 0) + 1;  // fulfil the order here, once
        }
    });
} elseif ($decision['status'] === 'refused') {
    error_log('v3 notify refused: ' . $decision['error']['code'] . ': ' . $decision['error']['message']);
}
http_response_code($decision['http_status']);
if ($decision['body'] !== '') {
    header('Content-Type: application/json');
    echo $decision['body'];
}
