<?php
/*
 * What every page of the PHP shop shares: its configuration, its
 * WxPay\Client, and the order book. The book is a JSON file changed under
 * an exclusive lock, so php-fpm's workers never lose each other's writes; a
 * real shop uses its database and a transaction.
 */
require __DIR__ . '/../../bindings/php/autoload.php';  // or Composer's vendor/autoload.php

$config = require __DIR__ . '/config.php';
// One client per request is cheap: tokens live in token_dir, not in the object.
$wx = new WxPay\Client($config['wxpay']);
// API v3 ('api' => 'v3'): orders, pay params and notifications. WeChat's
// certificate listing is shared through token_dir too.
$wx3 = ($config['api'] ?? 'v2') === 'v3' ? new WxPay\ClientV3($config['wxpay_v3']) : null;

/** The catalogue, priced on the server: product => [name, fen]. */
const PRODUCTS = ['book' => ['wxpay in practice', 990], 'mug' => ['Mug', 2500]];

/** Calls $change(&$orders) with the order book locked; saves what it changed. */
function with_orders(array $config, callable $change)
{
    $file = fopen($config['orders'], 'c+');
    flock($file, LOCK_EX);
    try {
        $orders = json_decode(stream_get_contents($file) ?: '{}', true) ?: [];
        $before = $orders;
        $result = $change($orders);
        if ($orders !== $before) {
            ftruncate($file, 0);
            rewind($file);
            fwrite($file, json_encode($orders));
            fflush($file);
        }
        return $result;
    } finally {
        flock($file, LOCK_UN);
        fclose($file);
    }
}

function json_reply(array $value, int $status = 200): void
{
    http_response_code($status);
    header('Content-Type: application/json');
    echo json_encode($value), "\n";
}
