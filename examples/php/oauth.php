<?php
/*
 * Silent WeChat OAuth for the shopper's openid, in plain PHP.
 *
 *   GET /oauth.php              redirects to WeChat with a signed `state` bound to this session
 *   GET /oauth.php?code&state   checks the state against this session, exchanges the code,
 *                               then back to the page that asked (or prints the openid)
 *
 * The state needs no server-side storage: the library signs it with the
 * merchant's key and the session id, so a callback replayed in another
 * browser, an altered state or an old one is refused.
 */
require __DIR__ . '/shop.php';

session_start();
$self = 'http://' . $_SERVER['HTTP_HOST'] . strtok($_SERVER['REQUEST_URI'], '?');

if (!isset($_GET['code'])) {
    $url = $wx->oauthAuthorizeUrl($self, null, $wx->oauthState(session_id()));
    header('Location: ' . $url);
    http_response_code(302);
    return;
}
try {
    $wx->checkOauthState((string) ($_GET['state'] ?? ''), session_id());
    $token = $wx->oauthExchangeCode((string) $_GET['code']);
} catch (WxPay\Exception $e) {
    http_response_code(400);
    echo "could not sign you in with WeChat ({$e->kind})\n";
    return;
}
$_SESSION['openid'] = $token['openid'];
$after = $_SESSION['after_oauth'] ?? null;
unset($_SESSION['after_oauth']);
if (is_string($after) && str_starts_with($after, '/') && !str_starts_with($after, '//')) {
    header('Location: ' . $after);
    http_response_code(302);
    return;
}
echo "openid: {$token['openid']}\n";
