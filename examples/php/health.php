<?php
/*
 * GET /health.php, for monitoring: whether the token store answers this
 * worker. While it does not, every request fetches its own tokens from
 * WeChat's daily quota (checkout still works), and the library says so in
 * php-fpm's log.
 */
require __DIR__ . '/shop.php';

// The client is new in every request: it takes a token (from the store,
// when the store answers) before it can say what the store did.
try {
    $wx->accessToken();
} catch (WxPay\Exception $e) {
    json_reply(['error' => "no access_token ({$e->kind})", 'token_store' => $wx->tokenStoreHealth()], 503);
    return;
}
json_reply(['token_store' => $wx->tokenStoreHealth(), 'loaded_through' => WxPay\WxPay::loadedThrough()]);
