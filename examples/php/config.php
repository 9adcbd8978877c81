<?php
/*
 * The shop's configuration, as a PHP array. php-fpm clears its workers'
 * environment by default (clear_env = yes), so none of it comes from
 * getenv() under php-fpm: the deployment's values live in a PHP file that
 * returns this array, named by WXPAY_SHOP_CONFIG (an nginx fastcgi_param,
 * or the environment on the command line), else config.local.php beside
 * this file. Without either, the shop talks to wxpay-sim on port 8400 as its
 * test merchant.
 */
$file = $_SERVER['WXPAY_SHOP_CONFIG'] ?? (getenv('WXPAY_SHOP_CONFIG') ?: __DIR__ . '/config.local.php');
if (is_file($file)) {
    return require $file;
}
return [
    // Everything WxPay\Client takes; leave base_url out to reach WeChat.
    'wxpay' => [
        'appid' => 'wxd930ea5d5a258f4f',
        'mch_id' => '10000100',
        'api_key' => '192006250b4c09247ec02edce69f6a2d',
        'app_secret' => 'wxpaysim0app0secret0000000000000',
        'base_url' => 'http://127.0.0.1:8400',
        // Every worker of the pool, and every request, shares one
        // access_token and one jsapi_ticket through this directory.
        'token_dir' => sys_get_temp_dir() . '/wxpay-shop-tokens',
    ],
    // 'v2' (the default) or 'v3': with v3, orders, pay params and payment
    // notifications go through WxPay\ClientV3 (notify_v3.php); OAuth and the
    // JS-SDK stay on the official account's API (the 'wxpay' client above).
    'api' => 'v2',
    // Everything WxPay\ClientV3 takes: the files the merchant platform hands
    // out. These are wxpay-sim's v3 test merchant (tests/vectors/v3/keys).
    'wxpay_v3' => [
        'mchid' => '10000100',
        'appid' => 'wxd930ea5d5a258f4f',
        'merchant_serial' => '1D3C5A7E9F0B2D4F6A8C0E1F3A5C7E9B1D3F5A70',
        'apiv3_key' => 'wxpaysim0apiv30key00000000000001',
        'private_key_path' => __DIR__ . '/../../tests/vectors/v3/keys/merchant_key.pem',
        'public_key_id' => 'PUB_KEY_ID_0114232025120400000000000000000001',
        'public_key_path' => __DIR__ . '/../../tests/vectors/v3/keys/wechatpay_public_key.pem',
        'base_url' => 'http://127.0.0.1:8400',
        'token_dir' => sys_get_temp_dir() . '/wxpay-shop-tokens',
    ],
    // Where WeChat and shoppers reach this shop (notify_url is built from it).
    'shop_url' => 'http://127.0.0.1:8080',
    // The order book (a real shop uses its database).
    'orders' => sys_get_temp_dir() . '/wxpay-shop-orders.json',
];
