<?php
/* GET /status.php?out_trade_no=…: the shop's own view of an order, for the checkout page. */
require __DIR__ . '/shop.php';

$no = (string) ($_GET['out_trade_no'] ?? '');
$order = with_orders($config, fn(array &$orders) => $orders[$no] ?? null);
if ($order === null) {
    json_reply(['error' => 'no such order'], 404);
    return;
}
json_reply(['out_trade_no' => $no, 'status' => $order['status'] ?? 'NOTPAY', 'total_fee' => $order['total_fee'],
    'transaction_id' => $order['transaction_id'] ?? null, 'paid_events' => $order['paid_events'] ?? 0]);
