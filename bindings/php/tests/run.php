<?php
/*
 * PHP tests of the WxPay classes over libwxpay: the shared vectors, the
 * flow against wxpay-sim (WXPAY_SIM_URL) with examples/php/notify.php
 * served by `php -S`, and errors surfacing as exceptions. Prints
 * "N passed, M failed".
 *
 *   WXPAY_SIM_URL=http://127.0.0.1:8400 php -d ffi.enable=1 bindings/php/tests/run.php
 */
require dirname(__DIR__) . '/autoload.php';

use WxPay\WxPay as W;

$passed = 0;
$failed = 0;

function check(bool $ok, string $what): void
{
    global $passed, $failed;
    if ($ok) {
        $passed++;
    } else {
        $failed++;
        fwrite(STDERR, "FAIL: $what\n");
    }
}

/** Runs $fn; returns null on success or the WxPay\Exception it threw. */
function attempt(callable $fn, &$result = null): ?WxPay\Exception
{
    try {
        $result = $fn();
        return null;
    } catch (WxPay\Exception $e) {
        return $e;
    }
}

function expectation(array $case, string $key = 'expect'): array
{
    return $case[$key];
}

/** Checks an outcome against a vector's expect: ok, or an error of a kind. */
function outcome(string $name, array $expect, ?WxPay\Exception $e): bool
{
    if (isset($expect['error'])) {
        $ok = $e !== null && $e->kind === $expect['error']['kind']
            && (!isset($expect['error']['reason']) || ($e->details['reason'] ?? null) === $expect['error']['reason']);
        check($ok, "$name: expected {$expect['error']['kind']}, got " . ($e ? "{$e->kind}: {$e->getMessage()}" : 'success'));
        return false;
    }
    check($e === null, "$name: " . ($e ? "{$e->kind}: {$e->getMessage()}" : ''));
    return $e === null;
}

function cases(string $file): array
{
    $dir = getenv('WXPAY_VECTORS') ?: dirname(__DIR__, 3) . '/tests/vectors';
    return json_decode(file_get_contents("$dir/$file"), true)['cases'];
}

function bytes(array $case, string $key): string
{
    return isset($case["{$key}_base64"]) ? base64_decode($case["{$key}_base64"]) : $case[$key];
}

function client_for(array $m, array $extra = []): WxPay\Client
{
    return new WxPay\Client(array_merge([
        'appid' => $m['appid'], 'mch_id' => $m['mch_id'], 'api_key' => $m['api_key'],
        'sign_type' => $m['sign_type'], 'base_url' => 'http://127.0.0.1:9',
    ], $extra));
}

// ---------------------------------------------------------------- vectors

foreach (cases('sign.json') as $c) {
    $e = attempt(fn() => W::sign($c['params'], $c['key'], $c['sign_type']), $sig);
    if (outcome("sign {$c['name']}", $c['expect'], $e)) {
        check($sig === $c['expect']['ok'], "sign {$c['name']}: $sig");
    }
}

foreach (cases('verify.json') as $c) {
    $e = attempt(fn() => W::verify($c['params'], $c['key'], $c['sign_type']), $valid);
    check($e === null && $valid === isset($c['expect']['ok']), "verify {$c['name']}");
}

foreach (cases('xml.json') as $c) {
    $e = attempt(fn() => W::fromXml(bytes($c, 'input')), $fields);
    if (outcome("xml {$c['name']}", $c['expect'], $e)) {
        check($fields == $c['expect']['ok'], "xml {$c['name']} fields");
    }
}

foreach (cases('xml_roundtrip.json') as $c) {
    $e = attempt(fn() => W::fromXml(W::toXml($c['fields'])), $back);
    if (outcome("round trip {$c['name']}", $c['expect'] ?? ['ok' => true], $e)) {
        check($back == $c['fields'], "round trip {$c['name']} fields");
    }
}

foreach (cases('jssdk.json') as $c) {
    $e = attempt(fn() => W::jssdkSignature($c['jsapi_ticket'], $c['noncestr'], $c['timestamp'], $c['url']), $sig);
    if (outcome("jssdk {$c['name']}", $c['expect'], $e)) {
        check($sig === $c['expect']['ok'], "jssdk {$c['name']}: $sig");
    }
}

foreach (cases('pay_params.json') as $c) {
    $m = $c['merchant'];
    $wx = client_for($m);
    $method = ['bridge' => 'jsapiParams', 'jssdk' => 'jssdkPayParams', 'app' => 'appPayParams'][$c['shape']];
    $e = attempt(fn() => $wx->$method($c['prepay_id']), $got);
    if (outcome("pay params {$c['name']}", $c['expect'], $e)) {
        // The time and nonce are the library's own: check the signature over what it returned.
        $signField = $c['shape'] === 'app' ? 'sign' : 'paySign';
        $fields = $got;
        unset($fields[$signField]);
        if ($c['shape'] === 'jssdk') {
            $fields['appId'] = $m['appid'];
            $fields['timeStamp'] = $fields['timestamp'];
            unset($fields['timestamp']);
        }
        check(W::sign($fields, $m['api_key'], $m['sign_type']) === $got[$signField], "pay params {$c['name']} signature");
        check(array_keys($got) == array_keys($c['expect']['ok']), "pay params {$c['name']} keys");
    }
}

foreach (cases('notify.json') as $c) {
    $wx = client_for($c['merchant']);
    $body = bytes($c, 'body');
    $e = attempt(fn() => $wx->verifyPaymentNotify($body), $note);
    if (outcome("notify {$c['name']}", $c['expect'], $e)) {
        $ok = $c['expect']['ok'];
        check($note['paid'] === $ok['paid'] && $note['out_trade_no'] === $ok['out_trade_no']
            && $note['total_fee'] === $ok['total_fee'], "notify {$c['name']} fields");
        if (isset($c['expected_total_fee'])) {
            $e2 = attempt(fn() => $wx->verifyPaymentNotify($body, $c['expected_total_fee']));
            outcome("notify amount {$c['name']}", $c['amount_expect'], $e2);
        }
    }
}

foreach (cases('refund_notify.json') as $c) {
    $e = attempt(function () use ($c) {
        if (isset($c['req_info'])) {
            return W::decryptReqInfo($c['req_info'], $c['api_key']);
        }
        return client_for($c['merchant'])->parseRefundNotify($c['body'])['info'];
    }, $info);
    if (outcome("refund notify {$c['name']}", $c['expect'], $e)) {
        check($info == $c['expect']['ok'], "refund notify {$c['name']} fields");
    }
}

foreach (cases('oauth.json') as $c) {
    $wx = new WxPay\Client(['appid' => $c['appid'], 'mch_id' => '10000100',
        'api_key' => '192006250b4c09247ec02edce69f6a2d', 'open_base_url' => $c['base_url']]);
    $e = attempt(fn() => $wx->oauthAuthorizeUrl($c['redirect_uri'], $c['scope'], $c['state']), $url);
    if (outcome("oauth {$c['name']}", $c['expect'], $e)) {
        check($url === $c['expect']['ok'], "oauth {$c['name']}: $url");
    }
}

// ---------------------------------------------------------------- replies and bills from a canned WeChat

$probe = stream_socket_server('tcp://127.0.0.1:0');
$cannedPort = (int) substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
fclose($probe);
$cannedBody = tempnam(sys_get_temp_dir(), 'canned');
$cannedServer = proc_open([PHP_BINARY, '-S', "127.0.0.1:$cannedPort", __DIR__ . '/canned.php'],
    [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $cannedPipes, null,
    array_merge(getenv(), ['CANNED_BODY_FILE' => $cannedBody]));
for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', $cannedPort); $i++) {
    usleep(50000);
}
$cannedUrl = "http://127.0.0.1:$cannedPort";

foreach (cases('replies.json') as $c) {
    file_put_contents($cannedBody, $c['body']);
    $wx = client_for($c['merchant'], ['base_url' => $cannedUrl, 'retries' => 0]);
    $r = $c['request'];
    // The sub-merchant a provider calls for, when the vector names one.
    $sub = array_intersect_key($r, ['sub_mch_id' => 1, 'sub_appid' => 1]);
    $run = [
        'unifiedorder' => fn() => $wx->unifiedOrder(['body' => 'shop', 'out_trade_no' => $r['out_trade_no'], 'total_fee' => 10000,
            'spbill_create_ip' => '127.0.0.1', 'notify_url' => 'https://shop.example/notify', 'openid' => 'openid',
            'trade_type' => $r['trade_type']] + ($r['trade_type'] === 'NATIVE' ? ['product_id' => 'p1'] : []) + $sub),
        'orderquery' => fn() => $wx->queryOrder(['out_trade_no' => $r['out_trade_no']] + $sub),
        'closeorder' => fn() => $wx->closeOrder($r['out_trade_no'], $sub ?: null),
        'refundquery' => fn() => $wx->queryRefund(['out_trade_no' => $r['out_trade_no']] + $sub),
        'refund' => fn() => $wx->refund(['out_trade_no' => $r['out_trade_no'], 'out_refund_no' => $r['out_refund_no'],
            'total_fee' => $r['total_fee'], 'refund_fee' => $r['refund_fee']] + $sub),
        'micropay' => fn() => $wx->micropay(['body' => 'counter', 'out_trade_no' => $r['out_trade_no'],
            'total_fee' => $r['total_fee'], 'spbill_create_ip' => '127.0.0.1', 'auth_code' => $r['auth_code']] + $sub),
        'authcodetoopenid' => fn() => ['openid' => $wx->authCodeToOpenid($r['auth_code'], $sub ?: null)],
    ][$c['api']];
    $e = attempt($run, $got);
    if (outcome("reply {$c['name']}", $c['expect'], $e)) {
        foreach ($c['expect']['ok'] as $k => $v) {
            $value = $got[$k];
            if ($k === 'refunds') {
                $value = array_map(fn($x) => ['out_refund_no' => $x['out_refund_no'], 'refund_fee' => $x['refund_fee'],
                    'refund_status' => $x['refund_status'], 'coupons' => count($x['coupons'])], $got['refunds']);
            }
            check($value == $v, "reply {$c['name']}: $k");
        }
    } elseif (isset($c['expect']['error']['err_code'])) {
        check($e !== null && $e->errCode() === $c['expect']['error']['err_code'], "reply {$c['name']}: err_code");
    }
}

foreach (cases('bill.json') as $c) {
    file_put_contents($cannedBody, bytes($c, 'body'));
    $wx = new WxPay\Client(['appid' => 'wxd930ea5d5a258f4f', 'mch_id' => '10000100',
        'api_key' => '192006250b4c09247ec02edce69f6a2d', 'base_url' => $cannedUrl, 'retries' => 0]);
    $e = attempt(fn() => $wx->downloadBill(['bill_date' => '20240102']), $bill);
    if (outcome("bill {$c['name']}", $c['expect'], $e)) {
        $ok = $c['expect']['ok'];
        check(count($bill['columns']) === $ok['columns'] && count($bill['rows']) === $ok['rows']
            && (!isset($ok['first_row']) || $bill['rows'][0] === $ok['first_row'])
            && $bill['summary'] === $ok['summary'] && $bill['no_bill'] === $ok['no_bill'], "bill {$c['name']}");
    }
}
foreach (cases('fund_flow.json') as $c) {
    file_put_contents($cannedBody, bytes($c, 'body'));
    $wx = new WxPay\Client(['appid' => 'wxd930ea5d5a258f4f', 'mch_id' => '10000100',
        'api_key' => '192006250b4c09247ec02edce69f6a2d', 'base_url' => $cannedUrl, 'retries' => 0]);
    $e = attempt(fn() => $wx->downloadFundFlow('20180201'), $flow);
    if (outcome("fund flow {$c['name']}", $c['expect'], $e)) {
        $ok = $c['expect']['ok'];
        check(count($flow['columns']) === $ok['columns'] && count($flow['rows']) === $ok['rows']
            && (!isset($ok['first_row']) || $flow['rows'][0] === $ok['first_row'])
            && $flow['totals'] === $ok['totals'] && $flow['no_bill'] === $ok['no_bill'], "fund flow {$c['name']}");
    } elseif (isset($c['expect']['error']['err_code'])) {
        check($e !== null && $e->errCode() === $c['expect']['error']['err_code'], "fund flow {$c['name']}: err_code");
    }
}
proc_terminate($cannedServer);
proc_close($cannedServer);
unlink($cannedBody);

// A day's bill against the shop's records: at once, and streamed through an
// open reconciliation (the bill 7 bytes at a time, the records two by two,
// or the CSV 5 bytes at a time), closed whatever happens.
$reconciler = client_for(['appid' => 'wxd930ea5d5a258f4f', 'mch_id' => '10000100',
    'api_key' => '192006250b4c09247ec02edce69f6a2d', 'sign_type' => 'MD5']);
$streamed = function (array $c, bool $csv) use ($reconciler): array {
    $id = $reconciler->reconcileStart(['memory_mib' => 1]);
    try {
        $bill = bytes($c, 'bill');
        foreach (str_split($bill, 7) as $piece) $reconciler->reconcileBill($piece, $id);
        if ($csv) {
            foreach (str_split($c['shop_csv'], 5) as $piece) $reconciler->reconcileShopCsv($piece, $id);
        } else {
            foreach (array_chunk($c['records'], 2) as $batch) $reconciler->reconcileShop($id, $batch);
        }
    } catch (WxPay\Exception $e) {
        attempt(fn() => $reconciler->reconcileFinish($id));
        throw $e;
    }
    return $reconciler->reconcileFinish($id);
};
foreach (cases('reconcile.json') as $c) {
    $runs = ['at once' => fn() => $reconciler->reconcile(bytes($c, 'bill'), $c['records']),
        'streamed' => fn() => $streamed($c, false)];
    if (isset($c['shop_csv'])) $runs['streamed CSV'] = fn() => $streamed($c, true);
    foreach ($runs as $how => $run) {
        $e = attempt($run, $report);
        if (outcome("reconcile {$c['name']} ($how)", $c['expect'], $e)) {
            check($report === $c['expect']['ok'], "reconcile {$c['name']} ($how): " . json_encode($report));
        }
    }
}
$open = [];
for ($i = 0; $i < 16; $i++) $open[] = $reconciler->reconcileStart([]);
check(attempt(fn() => $reconciler->reconcileStart([]))?->kind === 'InvalidInput', 'reconcile: at most 16 open');
foreach ($open as $id) attempt(fn() => $reconciler->reconcileFinish($id));


// Native mode one: the binding draws its own time and nonce, so the rest is
// compared and the signature checked as MD5 with the merchant's key.
$nativeSkip = ['nonce_str' => 1, 'sign' => 1, 'time_stamp' => 1];
$nativeQuery = function (string $link): array {
    $out = [];
    foreach (explode('&', substr($link, strlen('weixin://wxpay/bizpayurl?'))) as $pair) {
        [$k, $v] = explode('=', $pair, 2);
        $out[$k] = $v;
    }
    return $out;
};
foreach (cases('native.json') as $c) {
    $wx = client_for($c['merchant']);
    $key = $c['merchant']['api_key'];
    $e = attempt(fn() => match ($c['kind']) {
        'qr_link' => $wx->nativeQrLink($c['product_id']),
        'scan_callback' => $wx->verifyScanCallback(bytes($c, 'body')),
        'scan_reply' => $wx->nativeScanReply($c['prepay_id']),
        'scan_refusal' => $wx->nativeScanRefusal($c['message']),
    }, $got);
    if (!outcome("native {$c['name']}", $c['expect'], $e)) {
        continue;
    }
    $ok = $c['expect']['ok'];
    if ($c['kind'] === 'qr_link') {
        $params = $nativeQuery($got);
        $want = $nativeQuery($ok);
        ksort($params);
        ksort($want);
        check(str_starts_with($got, 'weixin://wxpay/bizpayurl?') && array_keys($params) === array_keys($want)
            && array_diff_key($params, $nativeSkip) === array_diff_key($want, $nativeSkip)
            && W::verify($params, $key, 'MD5'), "native {$c['name']}");
    } elseif ($c['kind'] === 'scan_callback') {
        check(['openid' => $got['openid'], 'product_id' => $got['product_id'], 'is_subscribe' => $got['is_subscribe']] === $ok,
            "native {$c['name']}");
    } else {
        $fields = W::fromXml($got);
        $a = array_diff_key($fields, $nativeSkip);
        $b = array_diff_key($ok, $nativeSkip);
        ksort($a);
        ksort($b);
        check(W::verify($fields, $key, 'MD5') && $a === $b, "native {$c['name']}");
    }
}

// ---------------------------------------------------------------- errors as exceptions

$e = attempt(fn() => new WxPay\Client(['appid' => 'wx1', 'mch_id' => '1', 'api_key' => 'secret-but-short']));
check($e instanceof WxPay\ConfigException && strpos($e->getMessage(), 'secret-but-short') === false, 'bad key: ConfigException, no secret');
$e = attempt(fn() => W::fromXml('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><a>&e;</a></xml>'));
check($e instanceof WxPay\XmlException && $e->details['reason'] === 'Doctype' && !$e->retryable, 'DOCTYPE: XmlException');
$e = attempt(fn() => W::sign(['a' => '1'], '192006250b4c09247ec02edce69f6a2d', 'SHA1'));
check($e instanceof WxPay\InvalidInputException, 'unknown sign type');
$e = attempt(fn() => W::jssdkSignature('t', 'n', 1, "http://x/\xC3\x28"));
check($e instanceof WxPay\InvalidInputException && $e->getCode() === 12, 'invalid UTF-8 reaches the library and is refused');
$e = attempt(fn() => new WxPay\Client(['appid' => 'wx1', 'mch_id' => '1', 'api_key' => 'k', 'tiemout' => 1]));
check($e instanceof WxPay\InvalidInputException && $e->field === 'tiemout' && $e->reason === 'Unknown'
    && strpos($e->getMessage(), 'tiemout') !== false, 'unknown option named');
$e = attempt(fn() => WxPay\Lib::check(WxPay\Lib::ffi()->wxpay_selftest_panic()));
check($e instanceof WxPay\InternalException && $e->getCode() === 99 && $e->wxpayCode === 'WXPAY_INTERNAL',
    'a panic becomes an exception, the process lives on');
// Every exception carries the kind's class, its code string and the C status.
$e = attempt(fn() => W::jssdkSignature('t', 'n', 1, "http://x/\xC3\x28"));
check($e instanceof WxPay\InvalidInputException && $e->kind === 'InvalidInput' && $e->wxpayCode === 'WXPAY_INVALID_INPUT'
    && $e->field === 'url', 'invalid UTF-8: kind, code and field');
$e = attempt(fn() => W::fromXml('<!DOCTYPE x><xml/>'));
check($e->wxpayCode === 'WXPAY_XML' && $e->getCode() === 3 && $e->reason === 'Doctype', 'XML: code string, status, reason');
// No sign type: the library's default, HMAC-SHA256.
$key = '192006250b4c09247ec02edce69f6a2d';
check(W::sign(['a' => '1'], $key) === W::sign(['a' => '1'], $key, 'HMAC-SHA256') && strlen(W::sign(['a' => '1'], $key)) === 64,
    'default sign type is HMAC-SHA256');
check(W::verify(['a' => '1', 'sign' => W::sign(['a' => '1'], $key)], $key), 'verify with the default sign type');

// ---------------------------------------------------------------- bytes that are not UTF-8

// PHP strings are bytes: any that are not UTF-8 are the library's InvalidInputException
// naming the field, never a JsonException and never a guess at the text.
$notText = "a\xffb";
$offline = new WxPay\Client(['appid' => 'wxd930ea5d5a258f4f', 'mch_id' => '10000100', 'api_key' => $key,
    'base_url' => 'http://127.0.0.1:9', 'retries' => 0, 'app_secret' => str_repeat('x', 32)]);
$binary = [
    'sign value' => [fn() => W::sign(['a' => $notText], $key), 'a'],
    'sign name' => [fn() => W::sign([$notText => '1'], $key), 'params'],
    'sign key' => [fn() => W::sign(['a' => '1'], $notText), 'api_key'],
    'verify' => [fn() => W::verify(['a' => $notText, 'sign' => 'x'], $key), 'a'],
    'toXml' => [fn() => W::toXml(['a' => $notText]), 'a'],
    'jssdkSignature' => [fn() => W::jssdkSignature($notText, 'n', 1, 'https://x'), 'jsapi_ticket'],
    'notifyFail' => [fn() => W::notifyFail($notText), 'message'],
    'decryptReqInfo' => [fn() => W::decryptReqInfo($notText, $key), 'req_info'],
    'Client option' => [fn() => new WxPay\Client(['appid' => $notText, 'mch_id' => '1', 'api_key' => $key]), 'appid'],
    'unifiedOrder' => [fn() => $offline->unifiedOrder(['body' => $notText, 'out_trade_no' => 'o1', 'total_fee' => 1,
        'spbill_create_ip' => '127.0.0.1', 'openid' => 'o']), 'body'],
    'queryOrder' => [fn() => $offline->queryOrder(['out_trade_no' => $notText]), 'out_trade_no'],
    'closeOrder' => [fn() => $offline->closeOrder($notText), 'out_trade_no'],
    'settlePaymentNotify record' => [fn() => $offline->settlePaymentNotify('<xml/>', ['total_fee' => 1, 'transaction_id' => $notText]),
        'transaction_id'],
    'jssdkConfig list' => [fn() => $offline->jssdkConfig('https://x/', [$notText]), 'js_api_list'],
    'call' => [fn() => $offline->call('query_order', ['out_trade_no' => $notText]), 'out_trade_no'],
];
foreach ($binary as $name => [$call, $field]) {
    $e = attempt($call);
    check($e instanceof WxPay\InvalidInputException && $e->field === $field, "not UTF-8, $name: " . ($e ? get_class($e) . ' ' . $e->field : 'accepted'));
}
$e = attempt(fn() => $offline->verifyPaymentNotify($notText));
check($e instanceof WxPay\XmlException && $e->reason === 'Encoding', 'a body that is not UTF-8 is an XmlException (Encoding)');

// ---------------------------------------------------------------- tests/vectors/security

foreach (cases('security/notify_handler.json') as $c) {
    $wx = new WxPay\Client($c['merchant']);
    $asked = [];
    $d = $wx->handlePaymentNotify($c['body'], function (string $no) use (&$asked, $c) { $asked[] = $no; return $c['order']; });
    $x = $c['expect'];
    $paidClaim = $x['out_trade_no'] !== null && $x['status'] !== 'not_paid';
    $same = $d['status'] === $x['status'] && W::fromXml($d['reply'])['return_code'] === $x['reply']
        && $d['out_trade_no'] === $x['out_trade_no'] && $asked === ($paidClaim ? [$x['out_trade_no']] : []);
    if (isset($x['error'])) {
        $e = $d['error'];
        $same = $same && $e['kind'] === $x['error']['kind'] && $e['retryable'] === $x['error']['retryable']
            && $e['field'] === ($x['error']['field'] ?? null) && $e['reason'] === ($x['error']['reason'] ?? null);
    } else {
        $same = $same && $d['error'] === null;
    }
    check($same, "notify handler {$c['name']}: " . json_encode($d['error']));
    check($wx->settlePaymentNotify($c['body'], $c['order'])['status'] === $x['status'], "settle {$c['name']}");
}

$catalogue = cases('security/catalogue.json');
check(array_column($catalogue, 'id') === range(1, 120), 'the catalogue runs 1..120');
foreach ($catalogue as $entry) {
    foreach ($entry['vectors'] ?? [] as $ref) {
        [$file, $name] = explode('#', $ref, 2);
        check(in_array($name, array_column(cases($file), 'name'), true), "{$entry['name']}: $ref");
    }
}

// ---------------------------------------------------------------- the surface

// tests/vectors/operations.json: every core operation is a Client method, spelled as the table
// says (PHP ignores the case of method names, so the spelling is compared as declared).
$declared = array_map(fn($m) => $m->getName(), (new ReflectionClass(WxPay\Client::class))->getMethods(ReflectionMethod::IS_PUBLIC));
$ops = cases('operations.json');
check(count($ops) >= 25, 'the operation table');
foreach ($ops as $op) {
    check(in_array($op['camel'], $declared, true), "WxPay\\Client::{$op['camel']} is declared");
}
// The one client entry point in the library refuses what every language refuses.
$e = attempt(fn() => new WxPay\Client(['appid' => 'wxd930ea5d5a258f4f', 'mch_id' => '10000100',
    'api_key' => '192006250b4c09247ec02edce69f6a2d', 'token_dir' => '/tmp/wxpay-tokens', 'token_store' => 'redis://127.0.0.1:9/0']));
check($e instanceof WxPay\ConfigException && $e->getMessage() === 'configuration error: give token_store or token_dir, not both',
    'token_dir beside token_store: ' . ($e ? $e->getMessage() : 'accepted'));

// ---------------------------------------------------------------- the flow against wxpay-sim

// FFI turned off, or no library: a ConfigException that says how to fix it, never a raw FFI\Exception.
foreach ([['-d', 'ffi.enable=0'], ['-d', 'ffi.enable=1']] as $i => $flags) {
    $code = 'require ' . var_export(dirname(__DIR__) . '/autoload.php', true) . ';'
        . 'try { WxPay\WxPay::notifyAck(); echo "loaded"; } catch (WxPay\ConfigException $e) { echo $e->getMessage(); }';
    $env = $i === 1 ? ['WXPAY_LIB' => '/nonexistent/libwxpay.so'] + getenv() : getenv();
    $proc = proc_open(array_merge([PHP_BINARY], $flags, ['-r', $code]), [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes,
        null, $env);
    $out = stream_get_contents($pipes[1]);
    proc_close($proc);
    check($i === 0 ? strpos($out, 'restricted by ffi.enable') !== false && strpos($out, 'preload.php') !== false
        : strpos($out, 'libwxpay not found') !== false && strpos($out, 'WXPAY_LIB') !== false,
        "FFI that cannot load is a ConfigException with the fix: $out");
}

// The command line loads the library itself; php-fpm's pool reaches it through ffi.preload's scope.
check(W::loadedThrough() === 'cdef', 'the command line loads libwxpay with FFI::cdef');
$scope = WxPay\Lib::scopeHeader();
check(strpos($scope, "#define FFI_SCOPE \"WXPAY\"\n#define FFI_LIB \"/") === 0
    && strpos($scope, 'wxpay_client_new') !== false, 'the ffi.preload header names the scope and the library by its path');

// The shared v3 dispatch vectors: calls refused before anything is sent.
$v3keys = (getenv('WXPAY_VECTORS') ?: dirname(__DIR__, 3) . '/tests/vectors') . '/v3/keys';
foreach (cases('v3/dispatch.json') as $case) {
    $options = $case['client'];
    $options['private_key_path'] = "$v3keys/" . $options['private_key_file'];
    $options['public_key_path'] = "$v3keys/" . $options['public_key_file'];
    unset($options['private_key_file'], $options['public_key_file']);
    $client = new WxPay\ClientV3($options);
    $e = attempt(fn() => $client->call($case['op'], $case['args']));
    $want = $case['expect']['error'];
    check($e !== null && $e->kind === $want['kind'] && ($e->details['field'] ?? null) === $want['field'],
        "v3 dispatch: {$case['name']}: " . ($e ? "{$e->kind} {$e->getMessage()}" : 'no error'));
}

// The v3 security fixtures and notifications, verified at each case's time
// with the headers as getallheaders() gives them.
$v3files = array_map('basename', glob(dirname($v3keys) . '/*.json'));
sort($v3files);
$v3run = ['dispatch.json', 'notifications.json', 'operations.json', 'security.json'];
$v3engine = ['aead.json', 'answers.json', 'bills.json', 'certificates.json', 'oaep.json', 'pay_params.json',
    'paths.json', 'refunds.json', 'signing.json', 'transactions.json', 'verify.json'];
$v3named = array_merge($v3run, $v3engine);
sort($v3named);
check($v3files === $v3named, 'every v3 vector file is run here or named the engine\'s');
// Every v3 operation is a method of WxPay\ClientV3 (the halves of the payment
// notify handler through handlePaymentNotify).
$v3ops = cases('v3/operations.json');
check(count($v3ops) >= 14, 'the v3 operation table');
foreach ($v3ops as $op) {
    $method = isset($op['handler']) ? lcfirst(str_replace('_', '', ucwords($op['handler'], '_'))) : $op['camel'];
    check(method_exists(WxPay\ClientV3::class, $method), "WxPay\\ClientV3::$method");
}
$attacks = array_unique(array_column(cases('v3/security.json'), 'attack'));
foreach (['probe', 'stale', 'unknown serial', 're-serialised body', 'wrong key', 'replay'] as $attack) {
    check(in_array($attack, $attacks, true), "a v3 security fixture for $attack");
}
$v3client = function (array $case) use ($v3keys): WxPay\ClientV3 {
    $options = ['mchid' => '1900009191', 'appid' => 'wxd930ea5d5a258f4f',
        'private_key_path' => "$v3keys/merchant_key.pem", 'merchant_serial' => '1D3C5A7E9F0B2D4F6A8C0E1F3A5C7E9B1D3F5A70',
        'apiv3_key' => $case['apiv3_key'], 'auto_certificates' => false, 'base_url' => 'http://127.0.0.1:9',
        'platform_certificates' => []];
    foreach ($case['keys'] as $key) {
        if (isset($key['certificate'])) {
            $options['platform_certificates'][] = file_get_contents("$v3keys/{$key['certificate']}");
        } else {
            $options['public_key'] = file_get_contents("$v3keys/{$key['public_key']}");
            $options['public_key_id'] = $key['id'];
        }
    }
    return new WxPay\ClientV3($options);
};
foreach (['v3/security.json', 'v3/notifications.json'] as $file) {
    foreach (cases($file) as $case) {
        $headers = [];
        foreach ($case['headers'] as $name => $value) {
            if ($value !== '') {
                $headers['Wechatpay-' . ucfirst($name)] = $value;
            }
        }
        $got = null;
        $e = attempt(fn() => $v3client($case)->parseNotification($headers, $case['body'], $case['now']), $got);
        if (isset($case['expect']['ok'])) {
            $same = $e === null;
            foreach ($case['expect']['ok'] as $k => $v) {
                $same = $same && $got[$k] == $v;
            }
            check($same, "$file: {$case['name']}: " . ($e ? "{$e->kind} {$e->getMessage()}" : 'fields differ'));
        } else {
            $want = $case['expect']['error'];
            check($e !== null && $e->kind === $want['kind'] && (!isset($want['reason']) || ($e->details['reason'] ?? null) === $want['reason']),
                "$file: {$case['name']}: " . ($e ? "{$e->kind} " . ($e->details['reason'] ?? '') : 'accepted'));
        }
    }
}
$case = cases('v3/security.json')[0];
$stale = attempt(fn() => $v3client($case)->parseNotification(['Wechatpay-Timestamp' => $case['headers']['timestamp'],
    'Wechatpay-Nonce' => $case['headers']['nonce'], 'Wechatpay-Signature' => $case['headers']['signature'],
    'Wechatpay-Serial' => $case['headers']['serial']], $case['body']));
check($stale !== null && ($stale->details['reason'] ?? null) === 'Stale', 'v3: without $now the clock judges');

$sim = getenv('WXPAY_SIM_URL');
if ($sim) {
    $http = function (string $method, string $url, ?string $body = null): array {
        $ctx = stream_context_create(['http' => [
            'method' => $method, 'header' => "Content-Type: application/json\r\n", 'content' => $body ?? '',
            'follow_location' => 0, 'ignore_errors' => true, 'timeout' => 10,
        ]]);
        $out = file_get_contents($url, false, $ctx);
        return [$out, $http_response_header ?? []];
    };

    // notify.php served by PHP's own web server, as a shop would run it.
    // A free loopback port for PHP's own web server.
    $probe = stream_socket_server('tcp://127.0.0.1:0');
    $port = (int) substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
    fclose($probe);
    $orders = tempnam(sys_get_temp_dir(), 'orders');
    $config = json_encode(['appid' => 'wxd930ea5d5a258f4f', 'mch_id' => '10000100',
        'api_key' => '192006250b4c09247ec02edce69f6a2d', 'base_url' => $sim]);
    $shopConfig = json_encode(json_decode($config, true) + ['app_secret' => 'wxpaysim0app0secret0000000000000']);
    // The shop's configuration file (examples/php/config.php reads it).
    $shopFile = tempnam(sys_get_temp_dir(), 'shopconfig');
    file_put_contents($shopFile, '<?php return ' . var_export(['wxpay' => json_decode($shopConfig, true),
        'shop_url' => "http://127.0.0.1:$port", 'orders' => $orders], true) . ';');
    $env = array_merge(getenv(), ['WXPAY_SHOP_CONFIG' => $shopFile]);
    $server = proc_open([PHP_BINARY, '-d', 'ffi.enable=1', '-S', "127.0.0.1:$port", '-t', dirname(__DIR__, 3) . '/examples/php'],
        [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes, null, $env);
    for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', $port); $i++) {
        usleep(50000);
    }

    // examples/php/oauth.php: the state is bound to the PHP session that asked for it.
    $get = function (string $url, string $cookie = ''): array {
        $ctx = stream_context_create(['http' => ['method' => 'GET', 'header' => $cookie ? "Cookie: $cookie\r\n" : '',
            'follow_location' => 0, 'ignore_errors' => true, 'timeout' => 10]]);
        $body = file_get_contents($url, false, $ctx);
        $found = ['status' => (int) explode(' ', $http_response_header[0] ?? '0 0')[1], 'body' => $body];
        foreach ($http_response_header ?? [] as $h) {
            if (stripos($h, 'Location:') === 0) {
                $found['location'] = trim(substr($h, 9));
            } elseif (stripos($h, 'Set-Cookie:') === 0) {
                $found['cookie'] = trim(explode(';', substr($h, 11))[0]);
            }
        }
        return $found;
    };
    $start = $get("http://127.0.0.1:$port/oauth.php");
    $consent = $get(explode('#', $start['location'] ?? '')[0]);
    $callback = $consent['location'] ?? '';
    check($start['status'] === 302 && strpos($callback, "http://127.0.0.1:$port/oauth.php?code=") === 0, 'oauth.php: to WeChat and back');
    check($get($callback)['status'] === 400, 'oauth.php: the callback in another browser is refused');
    parse_str((string) parse_url($callback, PHP_URL_QUERY), $cq);
    $cq['state'] = substr($cq['state'] ?? '', 0, -1) . (substr($cq['state'] ?? '', -1) === '0' ? '1' : '0');
    $forged = strtok($callback, '?') . '?' . http_build_query($cq);
    check($get($forged, $start['cookie'] ?? '')['status'] === 400, 'oauth.php: an altered state is refused');
    $done = $get($callback, $start['cookie'] ?? '');
    check($done['status'] === 200 && trim($done['body']) === 'openid: oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', 'oauth.php: the openid');

    $wx = new WxPay\Client(json_decode($config, true) + ['app_secret' => 'wxpaysim0app0secret0000000000000']);
    $st = $wx->oauthState('php-session-1');
    $url = $wx->oauthAuthorizeUrl('https://shop.example/cb', 'snsapi_base', $st);
    [, $headers] = $http('GET', explode('#', $url)[0]);
    $location = '';
    foreach ($headers as $h) {
        if (stripos($h, 'Location:') === 0) {
            $location = trim(substr($h, 9));
        }
    }
    parse_str((string) parse_url($location, PHP_URL_QUERY), $q);
    check(($q['state'] ?? '') === $st && !empty($q['code']), 'authorize redirect');
    check(attempt(fn() => $wx->checkOauthState($q['state'] ?? '', 'php-session-1')) === null, 'state checks');
    check(attempt(fn() => $wx->checkOauthState($q['state'] ?? '', 'php-session-2')) instanceof WxPay\InvalidInputException,
        "another session's state is refused");
    $openid = $wx->oauthExchangeCode($q['code'] ?? '')['openid'];
    check($openid === 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', 'openid');
    $e = attempt(fn() => $wx->oauthExchangeCode($q['code'] ?? ''));
    check($e instanceof WxPay\MpApiException && $e->details['errcode'] === 40163, 'a code is single use');

    // A token store that is down: the call goes on, the logger hears of it once, the health call shows it.
    $logged = new class {
        public $lines = [];
        public function log($level, $message, array $context = []): void
        {
            $this->lines[] = [$level, $message, $context];
        }
    };
    WxPay\WxPay::setLogger($logged);
    $down = new WxPay\Client(json_decode($shopConfig, true) + ['token_store' => 'redis://127.0.0.1:1/0']);
    check($down->tokenStoreHealth()['healthy'] === true, 'a store not used yet is healthy');
    check($down->accessToken() === $down->accessToken(), 'a store down never fails the call');
    $seen = array_values(array_filter($logged->lines, fn($l) => $l[2]['wxpay_event'] === 'token_store_down'));
    check(count($seen) === 1 && $seen[0][0] === 'warning' && strpos($seen[0][1], 'token store') !== false
        && $seen[0][2]['key'] === 'wxpay:wxd930ea5d5a258f4f:access_token', 'token_store_down reaches the logger once: '
        . json_encode($logged->lines));
    $health = $down->tokenStoreHealth();
    check($health['store'] === 'redis' && $health['healthy'] === false && $health['error'] !== null, 'health: ' . json_encode($health));
    $refreshed = array_values(array_filter($logged->lines, fn($l) => $l[2]['wxpay_event'] === 'token_refreshed'));
    check(count($refreshed) === 1 && $refreshed[0][0] === 'info' && $refreshed[0][2]['token'] === 'access_token',
        'token_refreshed reaches the logger: ' . json_encode($logged->lines));

    // At debug, one 'call' line per call to WeChat; a refused notification is a warning with its reason.
    $named = fn(string $name) => array_values(array_filter($logged->lines, fn($l) => $l[2]['wxpay_event'] === $name));
    $logged->lines = [];
    $e = attempt(fn() => $wx->queryOrder(['out_trade_no' => 'php-events-none']));
    check($e instanceof WxPay\BusinessException, 'no such order: ' . get_class($e) . ' ' . $e->getMessage());
    check($named('call') === [], 'info to start: no call lines');
    WxPay\WxPay::setLogLevel('debug');
    $e = attempt(fn() => $wx->queryOrder(['out_trade_no' => 'php-events-none']));
    check($e instanceof WxPay\BusinessException, 'no such order: ' . get_class($e) . ' ' . $e->getMessage());
    $call = $named('call');
    check(count($call) === 1 && $call[0][0] === 'debug' && $call[0][2]['operation'] === 'query_order'
        && $call[0][2]['outcome'] === 'Business' && $call[0][2]['err_code'] === 'ORDERNOTEXIST', 'a call line: ' . json_encode($call));
    $d = $wx->handlePaymentNotify('<xml><return_code>SUCCESS</return_code></xml>', fn(string $no) => null);
    $refused = $named('notify_refused');
    check($d['status'] === 'refused' && count($refused) === 1 && $refused[0][0] === 'warning'
        && $refused[0][2]['notification'] === 'payment', 'notify_refused: ' . json_encode($refused));
    check(attempt(fn() => WxPay\WxPay::setLogLevel('loud')) instanceof WxPay\InvalidInputException, 'an unknown level is refused');
    WxPay\WxPay::setLogLevel('info');
    $logged->lines = [];
    attempt(fn() => $wx->queryOrder(['out_trade_no' => 'php-events-none']));
    check($named('call') === [] && $named('attempt') === [], 'back at info: no call lines');
    WxPay\WxPay::setLogger(null);
    try {
        WxPay\WxPay::setLogger(new stdClass());
        check(false, 'an object without log() is refused as a logger');
    } catch (TypeError $e) {
        check(strpos($e->getMessage(), 'PSR-3') !== false, 'an object without log() is refused as a logger');
    }

    // tests/vectors/mini_program.json: wx.login() codes from the simulator, exchanged by jscode2session.
    $jscodeStat = fn() => json_decode((string) $http('GET', "$sim/sim/stats")[0], true)['jscode2session'];
    foreach (cases('mini_program.json') as $c) {
        $mini = new WxPay\Client(json_decode($config, true)
            + ['app_secret' => $c['app_secret'] ?? 'wxpaysim0app0secret0000000000000']);
        $code = $c['code'] ?? null;
        if (array_key_exists('login', $c)) {
            $code = json_decode((string) $http('POST', "$sim/sim/mini/login", json_encode((object) $c['login']))[0], true)['code'];
        }
        $before = $jscodeStat();
        foreach ($c['expect'] as $want) {
            $e = attempt(fn() => $mini->jscode2session($code), $session);
            if (isset($want['ok'])) {
                check($e === null && $session['openid'] === $want['ok']['openid'] && is_string($session['session_key'])
                    && $session['session_key'] !== '', "mini-program {$c['name']}: " . ($e ? $e->getMessage() : 'ok'));
            } else {
                $w = $want['error'];
                check($e !== null && $e->kind === $w['kind']
                    && (!isset($w['errcode']) || ($e instanceof WxPay\MpApiException && $e->details['errcode'] === $w['errcode']))
                    && (!isset($w['field']) || ($e->details['field'] ?? null) === $w['field'])
                    && (!isset($c['app_secret']) || strpos($e->getMessage(), $c['app_secret']) === false),
                    "mini-program {$c['name']}: " . ($e ? $e->getMessage() : json_encode($session)));
            }
        }
        check($jscodeStat() - $before === $c['sent'], "mini-program {$c['name']}: requests sent");
    }

    $no = 'php-flow-' . getmypid() . '-' . time();
    file_put_contents($orders, json_encode([$no => ['total_fee' => 990]]));
    $order = $wx->unifiedOrder(['body' => 'php-shop', 'out_trade_no' => $no, 'total_fee' => 990,
        'spbill_create_ip' => '127.0.0.1', 'openid' => $openid, 'notify_url' => "http://127.0.0.1:$port/notify.php"]);
    check(strpos($order['prepay_id'], 'wx') === 0, 'prepay_id');
    [$paid] = $http('POST', "$sim/sim/jsapi/pay", json_encode($wx->jsapiParams($order['prepay_id'])));
    check(strpos((string) $paid, 'get_brand_wcpay_request:ok') !== false, "paid: $paid");

    $ack = null;
    for ($i = 0; $i < 200 && $ack === null; $i++) {
        [$notes] = $http('GET', "$sim/sim/notifications");
        foreach (json_decode((string) $notes, true) ?: [] as $n) {
            if ($n['out_trade_no'] === $no && $n['status'] === 'acknowledged') {
                $ack = $n;
            }
        }
        usleep(25000);
    }
    check($ack !== null, 'notify.php verified, confirmed and acknowledged the notification');
    check($wx->queryOrder(['out_trade_no' => $no])['trade_state'] === 'SUCCESS', 'orderquery SUCCESS');

    // examples/php/scan.php: a printed Native code scanned, the order placed
    // by the shop's callback, paid, and notify.php recording it; an unknown
    // product refused on the payer's screen.
    [$scanned] = $http('POST', "$sim/sim/native/scan", json_encode(['link' => $wx->shortUrl($wx->nativeQrLink('mug')),
        'callback_url' => "http://127.0.0.1:$port/scan.php"]));
    $scanned = json_decode((string) $scanned, true);
    check(($scanned['result'] ?? '') === 'paid' && strpos($scanned['out_trade_no'], 'php-native-') === 0,
        'a printed code scanned and paid: ' . json_encode($scanned));
    $nativeNo = $scanned['out_trade_no'] ?? '';
    for ($i = 0; $i < 100 && (json_decode((string) file_get_contents($orders), true)[$nativeNo]['status'] ?? '') !== 'PAID'; $i++) {
        usleep(50000);
    }
    check((json_decode((string) file_get_contents($orders), true)[$nativeNo]['status'] ?? '') === 'PAID', 'the scanned order recorded paid');
    [$refusedScan] = $http('POST', "$sim/sim/native/scan", json_encode(['link' => $wx->nativeQrLink('lamp'),
        'callback_url' => "http://127.0.0.1:$port/scan.php"]));
    check((json_decode((string) $refusedScan, true)['message'] ?? '') === '商品已下架', "an unknown product refused: $refusedScan");

    // The day's fund flow adds up, and the day reconciles for the scanned order.
    $today = (new DateTime('now', new DateTimeZone('Asia/Shanghai')))->format('Ymd');
    $flow = $wx->downloadFundFlow($today, 'Basic', true);
    $t = $flow['totals'];
    check(!$flow['no_bill'] && count($flow['rows']) === $t['count'] && $t['count'] === $t['income_count'] + $t['expense_count']
        && $t['income_fen'] >= 2500, 'fund flow: ' . json_encode($t));
    $rid = $wx->reconcileStart(['list_limit' => 100000]);
    $wx->reconcileShop($rid, [['out_trade_no' => $nativeNo, 'total_fee' => 2500]]);
    $wx->reconcileDownloadBill($rid, $today);
    $report = $wx->reconcileFinish($rid);
    $aboutIt = array_filter($report['differences'], fn($d) => $d['out_trade_no'] === $nativeNo);
    check($report['matched']['payments'] === 1 && $report['counts']['shop_only'] === 0 && $aboutIt === []
        && $report['wechat']['payments'] >= 2, 'the scanned order reconciled: ' . json_encode($report['counts']));

    // Profit sharing: an order placed for sharing, a receiver, a multiple
    // sharing within 30 %, the query, the finish, and a refusal.
    $shareNo = "php-share-" . getmypid() . '-' . time();
    $shareOrder = $wx->unifiedOrder(['body' => 'php-shop', 'out_trade_no' => $shareNo, 'total_fee' => 1000,
        'spbill_create_ip' => '127.0.0.1', 'openid' => $openid, 'notify_url' => 'http://127.0.0.1:9/n',
        'extra' => ['profit_sharing' => 'Y']]);
    [$sharePaid] = $http('POST', "$sim/sim/jsapi/pay", json_encode($wx->jsapiParams($shareOrder['prepay_id'])));
    check(strpos((string) $sharePaid, ':ok') !== false, "sharing order paid: $sharePaid");
    $tx = $wx->queryOrder(['out_trade_no' => $shareNo])['transaction_id'];
    $wx->addProfitSharingReceiver(['type' => 'PERSONAL_OPENID', 'account' => $openid, 'relation_type' => 'USER']);
    $receivers = [['type' => 'PERSONAL_OPENID', 'account' => $openid, 'amount' => 300, 'description' => '推荐佣金']];
    $accepted = $wx->profitSharing(['transaction_id' => $tx, 'out_order_no' => 'PHPS1', 'receivers' => $receivers, 'multi' => true]);
    check($accepted['status'] === 'PROCESSING', 'profit sharing accepted');
    $state = $wx->queryProfitSharing($tx, 'PHPS1');
    check(count($state['receivers']) === 1 && $state['receivers'][0]['amount'] === 300
        && $state['receivers'][0]['result'] === 'SUCCESS', 'profit sharing query');
    check($wx->profitSharingUnsplitAmount($tx)['unsplit_amount'] === 700, 'unshared amount');
    $receivers[0]['amount'] = 1;
    $e = attempt(fn() => $wx->profitSharing(['transaction_id' => $tx, 'out_order_no' => 'PHPS2', 'receivers' => $receivers, 'multi' => true]));
    check($e instanceof WxPay\BusinessException && strpos($e->getMessage(), '最大分账比例') !== false, 'above 30 %: BusinessException');
    check($wx->finishProfitSharing($tx, 'PHPF1', '分账完结')['status'] === 'FINISHED', 'profit sharing finished');
    check($wx->profitSharingUnsplitAmount($tx)['unsplit_amount'] === 0, 'nothing left to share');
    // tests/vectors/profit_sharing.json on this simulator, each step called by name.
    $sentSharing = function () use ($http, $sim): int {
        [$stats] = $http('GET', "$sim/sim/stats", null);
        $n = 0;
        foreach (json_decode((string) $stats, true) as $k => $v) if (strpos($k, 'profitsharing') !== false) $n += $v;
        return $n;
    };
    foreach (cases('profit_sharing.json') as $n => $c) {
        $base = $c['merchant'] === 'provider'
            ? ['appid' => 'wx8888888888888888', 'mch_id' => '1900000100', 'api_key' => 'wxpaysim0service0provider0key001']
            : ['appid' => 'wxd930ea5d5a258f4f', 'mch_id' => '10000100', 'api_key' => '192006250b4c09247ec02edce69f6a2d'];
        $psClient = new WxPay\Client($base + ['base_url' => $sim, 'sign_type' => 'HMAC-SHA256']);
        $ptx = '';
        if ($c['order'] !== null) {
            $pno = "php-psv-$n-" . getmypid();
            $po = $psClient->unifiedOrder(['body' => 'php-shop', 'out_trade_no' => $pno, 'total_fee' => 1000,
                'spbill_create_ip' => '127.0.0.1', 'openid' => $openid, 'notify_url' => 'http://127.0.0.1:9/n']
                + ($c['order'] === 'sharing' ? ['extra' => ['profit_sharing' => 'Y']] : []));
            $http('POST', "$sim/sim/jsapi/pay", json_encode($psClient->jsapiParams($po['prepay_id'])));
            $ptx = $psClient->queryOrder(['out_trade_no' => $pno])['transaction_id'];
        }
        $before = $sentSharing();
        foreach ($c['steps'] as $i => $raw) {
            $step = json_decode(str_replace(['{tx}', '{n}'], [$ptx, "$n-" . getmypid()],
                json_encode($raw, JSON_UNESCAPED_UNICODE)), true);
            $label = "profit sharing vector {$c['name']}, step $i ({$step['op']})";
            $e = attempt(fn() => $psClient->call($step['op'], $step['args']), $got);
            if (outcome($label, $step['expect'], $e)) {
                $want = $step['expect']['ok'];
                $ok = $want === null ? $got === null : array_intersect_key($got, $want) == $want;
                check($ok, "$label: " . json_encode($got, JSON_UNESCAPED_UNICODE));
            } elseif (isset($step['expect']['error']['err_code'])) {
                check($e !== null && $e->errCode() === $step['expect']['error']['err_code'], "$label: err_code");
            }
        }
        if (isset($c['sent'])) check($sentSharing() - $before === $c['sent'], "profit sharing vector {$c['name']}: sent");
    }

    // A merchant receiver gives back part of what it got; the provider's ratio.
    $returnNo = "php-return-" . getmypid() . '-' . time();
    $returnOrder = $wx->unifiedOrder(['body' => 'php-shop', 'out_trade_no' => $returnNo, 'total_fee' => 1000,
        'spbill_create_ip' => '127.0.0.1', 'openid' => $openid, 'notify_url' => 'http://127.0.0.1:9/n',
        'extra' => ['profit_sharing' => 'Y']]);
    $http('POST', "$sim/sim/jsapi/pay", json_encode($wx->jsapiParams($returnOrder['prepay_id'])));
    $rtx = $wx->queryOrder(['out_trade_no' => $returnNo])['transaction_id'];
    $wx->addProfitSharingReceiver(['type' => 'MERCHANT_ID', 'account' => '190001001', 'name' => '示例合作商户有限公司',
        'relation_type' => 'PARTNER']);
    $shared = $wx->profitSharing(['transaction_id' => $rtx, 'out_order_no' => 'PHPS-R', 'multi' => true,
        'receivers' => [['type' => 'MERCHANT_ID', 'account' => '190001001', 'amount' => 200, 'description' => '合作分成']]]);
    $back = $wx->profitSharingReturn(['out_order_no' => 'PHPS-R', 'out_return_no' => 'PHPR1',
        'return_account' => '190001001', 'return_amount' => 150, 'description' => '退货']);
    check($back['result'] === 'SUCCESS' && $back['return_amount'] === 150 && $back['order_id'] === $shared['order_id'],
        'profit sharing return');
    check($wx->queryProfitSharingReturn(['order_id' => $shared['order_id'], 'out_return_no' => 'PHPR1'])['return_no']
        === $back['return_no'], 'profit sharing return query');
    $e = attempt(fn() => $wx->profitSharingReturn(['out_order_no' => 'PHPS-R', 'out_return_no' => 'PHPR2',
        'return_account' => '190001001', 'return_amount' => 51, 'description' => '退货']));
    check($e instanceof WxPay\BusinessException && $e->errCode() === 'INVALID_REQUEST', 'a return above what was shared');
    $spWx = new WxPay\Client(['appid' => 'wx8888888888888888', 'mch_id' => '1900000100',
        'api_key' => 'wxpaysim0service0provider0key001', 'base_url' => $sim]);
    check($spWx->profitSharingMaxRatio(null, ['sub_mch_id' => '1900000109'])['max_ratio'] === 3000
        && $spWx->profitSharingMaxRatio('1900000200')['max_ratio'] === 3000, 'the provider\'s ratio');
    $recorded = json_decode((string) file_get_contents($orders), true)[$no] ?? [];
    check(strpos($recorded['transaction_id'] ?? '', '4200') === 0 && $recorded['status'] === 'PAID'
        && $recorded['paid_events'] === 1, 'notify.php recorded the transaction once');
    $body = $ack['body'];

    // The handler itself: each outcome, and the lookup only for a verified payment.
    $asked = [];
    $find = function (string $n) use (&$asked, $recorded) { $asked[] = $n; return ['total_fee' => 990]; };
    $d = $wx->handlePaymentNotify($body, $find);
    check($d['status'] === 'paid' && $d['reply'] === W::notifyAck() && $d['error'] === null && $asked === [$no]
        && $d['confirmation']['trade_state'] === 'SUCCESS' && $d['total_fee'] === 990, 'handlePaymentNotify: paid');
    $d = $wx->handlePaymentNotify($body, fn($n) => ['total_fee' => 990, 'transaction_id' => $recorded['transaction_id']]);
    check($d['status'] === 'already_paid' && $d['reply'] === W::notifyAck(), 'handlePaymentNotify: already paid');
    $d = $wx->handlePaymentNotify($body, fn($n) => ['total_fee' => 1]);
    check($d['status'] === 'refused' && $d['error']['code'] === 'WXPAY_MISMATCH' && $d['error']['field'] === 'total_fee'
        && W::fromXml($d['reply'])['return_code'] === 'FAIL', 'handlePaymentNotify: another amount');
    $d = $wx->handlePaymentNotify($body, fn($n) => null);
    check($d['status'] === 'refused' && $d['error']['field'] === 'out_trade_no', 'handlePaymentNotify: unknown order');
    $asked = [];
    $d = $wx->handlePaymentNotify(str_replace(['[990]', '>990<'], ['[1]', '>1<'], $body), $find);
    check($d['status'] === 'refused' && $d['error']['code'] === 'WXPAY_SIGNATURE' && $asked === [],
        'handlePaymentNotify: a tampered body is never looked up');
    check($wx->paymentNotifyOrder($body) === $no && $wx->paymentNotifyOrder('<xml/>') === null, 'paymentNotifyOrder');
    $e = attempt(fn() => $wx->handlePaymentNotify($body, fn($n) => ['total_fee' => '990']));
    check($e instanceof WxPay\InvalidInputException, 'the record amount is whole fen');

    // A forged notification to notify.php is refused.
    $forged = W::toXml(['return_code' => 'SUCCESS', 'result_code' => 'SUCCESS', 'appid' => 'wxd930ea5d5a258f4f',
        'mch_id' => '10000100', 'out_trade_no' => $no, 'transaction_id' => '4200000000000000000000000009',
        'total_fee' => '990', 'nonce_str' => 'x', 'sign' => str_repeat('A', 64)]);
    [$reply] = $http('POST', "http://127.0.0.1:$port/notify.php", $forged);
    check(W::fromXml((string) $reply)['return_code'] === 'FAIL', 'forged notification refused');

    // The counter: the payment code's last digits tell the simulator what the customer does.
    $counter = fn(string $no, string $plan) => $wx->micropay(['body' => 'Shop-Coffee', 'out_trade_no' => $no,
        'total_fee' => 1800, 'spbill_create_ip' => '127.0.0.1', 'auth_code' => "13456789012345$plan",
        'first_query_after' => 0.02, 'query_every' => 0.02, 'give_up_after' => 0.6]);
    $tag = getmypid();
    $paid = $counter("php-counter-$tag-1", '0000');
    check($paid['status'] === 'paid' && $paid['total_fee'] === 1800, 'micropay: paid at once');
    $typed = $counter("php-counter-$tag-2", '1150');
    check($typed['status'] === 'paid' && $typed['queries'] >= 1, 'micropay: paid after the password');
    $gone = $counter("php-counter-$tag-3", '2000');
    check($gone['status'] === 'reversed' && $gone['err_code'] === 'USERPAYING' && $gone['reverses'] === 1,
        'micropay: reversed at the limit');
    $poor = $counter("php-counter-$tag-4", '3000');
    check($poor['status'] === 'failed' && $poor['err_code'] === 'NOTENOUGH', 'micropay: refused');

    // The shared counter vectors: each ends exactly as tests/vectors/counter.json says.
    foreach (cases('counter.json') as $i => $c) {
        if ($c['fault'] !== null) {
            [, $headers] = $http('POST', "$sim/sim/faults", json_encode($c['fault']));
            check(strpos($headers[0] ?? '', ' 200 ') !== false, "counter {$c['name']}: fault added");
        }
        $cashier = $c['sub_merchant'] === null ? $wx : new WxPay\Client(['appid' => 'wx8888888888888888',
            'mch_id' => '1900000100', 'api_key' => 'wxpaysim0service0provider0key001', 'base_url' => $sim]);
        $e = attempt(fn() => $cashier->micropay(['body' => 'counter', 'out_trade_no' => "php-counter-vector-$tag-$i",
            'total_fee' => 1800, 'spbill_create_ip' => '127.0.0.1', 'auth_code' => $c['auth_code'],
            'first_query_after' => 0.02, 'query_every' => 0.02, 'give_up_after' => 0.6, 'max_reverses' => 3]
            + ($c['sub_merchant'] ?? [])), $out);
        check($e === null && [$out['status'], $out['err_code'], $out['reverses'], $out['follow_up']]
            === [$c['expect']['status'], $c['expect']['err_code'], $c['expect']['reverses'], $c['expect']['follow_up']]
            && $out['queries'] >= $c['expect']['queries_at_least'],
            "counter {$c['name']}: " . ($e ? $e->getMessage() : json_encode($out)));
    }

    // Waits that are not numbers in range, NaN and the infinities too, are refused by name
    // before the code is sent (json_encode alone would throw a JsonException).
    $before = json_decode((string) $http('GET', "$sim/sim/stats")[0], true)['micropay'];
    foreach ([['give_up_after', INF], ['query_every', NAN], ['first_query_after', -INF], ['give_up_after', 601],
              ['max_reverses', 0], ['max_reverses', NAN]] as [$name, $value]) {
        $e = attempt(fn() => $wx->micropay(['body' => 'b', 'out_trade_no' => "php-counter-$tag-nan",
            'total_fee' => 1, 'spbill_create_ip' => '127.0.0.1', 'auth_code' => '134567890123450000', $name => $value]));
        check($e instanceof WxPay\InvalidInputException && ($e->details['field'] ?? null) === $name,
            "micropay $name=" . var_export($value, true) . ': ' . ($e ? $e->getMessage() : 'accepted'));
    }
    foreach (['timeout', 'connect_timeout', 'overall_timeout', 'confirm_timeout', 'retry_backoff'] as $name) {
        $e = attempt(fn() => new WxPay\Client(json_decode($config, true) + [$name => NAN]));
        check($e instanceof WxPay\InvalidInputException && ($e->details['field'] ?? null) === $name, "Client $name=NAN");
    }
    check(json_decode((string) $http('GET', "$sim/sim/stats")[0], true)['micropay'] === $before, 'nothing was sent');

    // tests/vectors/security/decisions.json: every reply that becomes a decision, given a
    // signed answer about something else, is compared field by field.
    $holds = function ($got, $want) use (&$holds): bool {
        if (!is_array($want)) return $got === $want;
        if (!is_array($got)) return false;
        foreach ($want as $k => $v) {
            if (!array_key_exists($k, $got) || !$holds($got[$k], $v)) return false;
        }
        return true;
    };
    foreach (cases('security/decisions.json') as $i => $c) {
        $dno = "php-decision-$tag-$i";
        $sub = $c['sub_mch_id'] === null ? [] : ['sub_mch_id' => $c['sub_mch_id']];
        $base = $c['merchant'] === 'provider'
            ? ['appid' => 'wx8888888888888888', 'mch_id' => '1900000100', 'api_key' => 'wxpaysim0service0provider0key001']
            : json_decode($config, true);
        $dc = new WxPay\Client($base + ['base_url' => $sim, 'sign_type' => 'HMAC-SHA256', 'retries' => 1,
            'retry_backoff' => 0.01]);
        if ($c['setup'] === 'micropaid') {
            $paid = $dc->micropay(['body' => 'counter', 'out_trade_no' => $dno, 'total_fee' => $c['setup_fee'],
                'spbill_create_ip' => '127.0.0.1', 'auth_code' => '134567890123450000'] + $sub);
            check($paid['status'] === 'paid', "{$c['name']}: set up");
        } elseif ($c['setup'] !== 'none') {
            $order = $dc->unifiedOrder(['body' => 'decision', 'out_trade_no' => $dno, 'total_fee' => 990,
                'spbill_create_ip' => '127.0.0.1', 'openid' => 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
                'notify_url' => 'http://127.0.0.1:9/notify'] + $sub);
            if ($c['setup'] !== 'placed_5_minutes_ago') {
                [$paid] = $http('POST', "$sim/sim/jsapi/pay", json_encode($dc->jsapiParams($order['prepay_id'], $sub ?: null)));
                check(strpos((string) $paid, 'get_brand_wcpay_request:ok') !== false, "{$c['name']}: paid");
            }
            if ($c['setup'] === 'refunded') {
                $dc->refund(['out_trade_no' => $dno, 'out_refund_no' => "$dno-r", 'total_fee' => 990, 'refund_fee' => 990] + $sub);
            }
            if ($c['setup'] === 'placed_5_minutes_ago') usleep(350000);
        }
        $http('POST', "$sim/sim/faults", json_encode($c['faults']));
        $args = json_decode(str_replace('{no}', $dno, json_encode($c['args'])), true);
        $result = null;
        if ($c['operation'] === 'settle_payment_notify') {
            $body = null;
            foreach (json_decode((string) $http('GET', "$sim/sim/notifications")[0], true) as $n) {
                if ($n['kind'] === 'payment' && $n['out_trade_no'] === $dno) $body = $n['body'];
            }
            $e = attempt(fn() => $dc->settlePaymentNotify((string) $body, $args['order']), $result);
        } else {
            $e = attempt(fn() => $dc->call($c['operation'], $args + $sub), $result);
        }
        $http('DELETE', "$sim/sim/faults");
        $want = $c['expect'];
        $ok = isset($want['error'])
            ? $e !== null && $holds($e->details, $want['error'])
            : $e === null && $holds($result, $want['result']);
        check($ok, "decision {$c['name']}: " . ($e ? $e->getMessage() : json_encode($result)));
    }

    // A service provider taking payments for its two sub-merchants (docs/protocol.md §15):
    // the tea house's buyer pays on its own account, the bookshop's on the provider's.
    $sp = new WxPay\Client(['appid' => 'wx8888888888888888', 'mch_id' => '1900000100',
        'api_key' => 'wxpaysim0service0provider0key001', 'base_url' => $sim, 'retry_backoff' => 0.01]);
    $platform = [
        ['sub' => ['sub_mch_id' => '1900000109', 'sub_appid' => 'wx1111111111111111'], 'other' => '1900000110',
         'who' => ['sub_openid' => 'oSubTeaHouse0Shopper000000001'], 'page' => 'wx1111111111111111', 'fee' => 1500],
        ['sub' => ['sub_mch_id' => '1900000110'], 'other' => '1900000109',
         'who' => ['openid' => 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o'], 'page' => 'wx8888888888888888', 'fee' => 4200],
    ];
    foreach ($platform as $i => $c) {
        $spNo = "php-sp-$tag-$i";
        $o = $sp->unifiedOrder(['body' => 'php-platform', 'out_trade_no' => $spNo, 'total_fee' => $c['fee'],
            'spbill_create_ip' => '127.0.0.1', 'notify_url' => 'http://127.0.0.1:9/notify'] + $c['who'] + $c['sub']);
        check($o['raw']['sub_mch_id'] === $c['sub']['sub_mch_id'], "platform $i: order for the sub-merchant");
        $params = $sp->jsapiParams($o['prepay_id'], $c['sub']);
        check($params['appId'] === $c['page'], "platform $i: appId of the paying page");
        [$paid] = $http('POST', "$sim/sim/jsapi/pay", json_encode($params));
        check(json_decode((string) $paid, true)['err_msg'] === 'get_brand_wcpay_request:ok', "platform $i: paid");
        $body = null;
        for ($k = 0; $k < 250 && $body === null; $k++) {
            [$list] = $http('GET', "$sim/sim/notifications");
            foreach (json_decode((string) $list, true) as $n) {
                if ($n['out_trade_no'] === $spNo) $body = $n['body'];
            }
            if ($body === null) usleep(20000);
        }
        check($body !== null, "platform $i: notification sent");
        $wrong = $sp->handlePaymentNotify((string) $body,
            fn($no) => ['total_fee' => $c['fee'], 'sub_mch_id' => $c['other']]);
        check($wrong['status'] === 'refused' && $wrong['error']['field'] === 'sub_mch_id',
            "platform $i: another sub-merchant's record is refused");
        $d = $sp->handlePaymentNotify((string) $body,
            fn($no) => $no === $spNo ? ['total_fee' => $c['fee'], 'sub_mch_id' => $c['sub']['sub_mch_id']] : null);
        check($d['status'] === 'paid' && $d['confirmation']['raw']['sub_mch_id'] === $c['sub']['sub_mch_id'],
            "platform $i: paid, confirmed as the sub-merchant");
        check($sp->queryOrder(['out_trade_no' => $spNo] + $c['sub'])['trade_state'] === 'SUCCESS', "platform $i: orderquery");
        $r = $sp->refund(['out_trade_no' => $spNo, 'out_refund_no' => "$spNo-r", 'total_fee' => $c['fee'],
            'refund_fee' => 300] + $c['sub']);
        check($r['refund_fee'] === 300 && $r['raw']['sub_mch_id'] === $c['sub']['sub_mch_id'], "platform $i: refund");
        $e = attempt(fn() => $sp->queryOrder(['out_trade_no' => $spNo, 'sub_mch_id' => $c['other']]));
        check($e instanceof WxPay\BusinessException && $e->errCode() === 'ORDERNOTEXIST',
            "platform $i: the other sub-merchant does not see it");
    }
    $e = attempt(fn() => $sp->closeOrder('php-sp-none', ['sub_appid' => 'wx1111111111111111']));
    check($e instanceof WxPay\InvalidInputException && $e->field === 'sub_mch_id', 'platform: sub_appid alone is refused');

    $e = attempt(fn() => $wx->queryOrder(['out_trade_no' => 'php-missing-1']));
    check($e instanceof WxPay\BusinessException && $e->errCode() === 'ORDERNOTEXIST' && !$e->retryable, 'ORDERNOTEXIST');
    $refund = $wx->refund(['out_trade_no' => $no, 'out_refund_no' => "$no-r", 'total_fee' => 990, 'refund_fee' => 990]);
    check($refund['refund_fee'] === 990, 'refund');
    $cfg = $wx->jssdkConfig('https://shop.example/pay#x', ['chooseWXPay']);
    check($cfg['jsApiList'] === ['chooseWXPay'] && strlen($cfg['signature']) === 40, 'wx.config');

    // Refunds over mutual TLS: the simulator's HTTPS port wants the merchant
    // certificate it issued, as WeChat does.
    $tlsUrl = getenv('WXPAY_SIM_TLS_URL');
    check((bool) $tlsUrl, 'the simulator serves HTTPS');
    if ($tlsUrl) {
        $pem = fn(string $name) => (string) $http('GET', "$sim/sim/tls/$name")[0];
        $secure = array_merge(json_decode($config, true), ['base_url' => $tlsUrl, 'ca_pem' => $pem('ca.pem'),
            'cert_pem' => $pem('apiclient_cert.pem'), 'key_pem' => $pem('apiclient_key.pem')]);
        $tls = new WxPay\Client($secure);
        $tno = "$no-tls";
        $o = $tls->unifiedOrder(['body' => 'php-shop', 'out_trade_no' => $tno, 'total_fee' => 500,
            'spbill_create_ip' => '127.0.0.1', 'openid' => $openid, 'notify_url' => "http://127.0.0.1:$port/none"]);
        [$paid] = $http('POST', "$sim/sim/jsapi/pay", json_encode($tls->jsapiParams($o['prepay_id'])));
        check(strpos((string) $paid, 'get_brand_wcpay_request:ok') !== false, 'paid (order placed over HTTPS)');
        $r = $tls->refund(['out_trade_no' => $tno, 'out_refund_no' => "$tno-r", 'total_fee' => 500, 'refund_fee' => 200]);
        check($r['refund_fee'] === 200, 'refund over mutual TLS');
        $bare = $secure;
        unset($bare['cert_pem'], $bare['key_pem']);
        $e = attempt(fn() => (new WxPay\Client($bare))->refund(['out_trade_no' => $tno, 'out_refund_no' => "$tno-s",
            'total_fee' => 500, 'refund_fee' => 100]));
        check($e instanceof WxPay\ConfigException, 'no refund over https without the certificate');
        $untrusted = $secure;
        unset($untrusted['ca_pem']);
        $e = attempt(fn() => (new WxPay\Client($untrusted))->queryOrder(['out_trade_no' => $tno]));
        check($e instanceof WxPay\TransportException && strpos($e->getMessage(), 'TLS handshake failed') !== false,
            "the simulator's CA is not trusted by default");
    }

    // PHP builds a client per request: with token_dir, separate processes
    // share one access_token and one jsapi_ticket through files.
    $stats = fn() => json_decode((string) $http('GET', "$sim/sim/stats")[0], true);
    // PHP builds a client per request: with token_dir (one host) or a Redis
    // token_store (a fleet), 8 separate processes starting at the same moment
    // make one access_token fetch and one jsapi_ticket fetch between them.
    $tokens = sys_get_temp_dir() . '/wxpay-php-tokens-' . getmypid();
    $stores = ['token_dir' => ['token_dir' => $tokens]];
    $redis = getenv('WXPAY_REDIS_URL');
    check((bool) $redis, 'WXPAY_REDIS_URL names the test redis-server');
    if ($redis) {
        $stores['Redis'] = ['token_store' => $redis];
    }
    $child = 'require ' . var_export(dirname(__DIR__) . '/autoload.php', true) . ';'
        . '$wx = new WxPay\Client(json_decode(getenv("SHARED_CONFIG"), true));'
        . 'time_sleep_until((float) getenv("START_AT"));'
        . 'echo $wx->jsapiTicket();';
    foreach ($stores as $name => $store) {
        $shared = json_encode(json_decode($config, true) + ['app_secret' => 'wxpaysim0app0secret0000000000000'] + $store);
        $before = $stats();
        $env = array_merge(getenv(), ['SHARED_CONFIG' => $shared, 'START_AT' => (string) (microtime(true) + 1.0)]);
        $procs = [];
        for ($i = 0; $i < 8; $i++) {
            $procs[] = [proc_open([PHP_BINARY, '-d', 'ffi.enable=1', '-r', $child], [1 => ['pipe', 'w']], $pipes, null, $env),
                $pipes[1]];
        }
        $tickets = [];
        foreach ($procs as [$proc, $out]) {
            $tickets[] = stream_get_contents($out);
            fclose($out);
            proc_close($proc);
        }
        $after = $stats();
        check(count(array_unique($tickets)) === 1 && strpos($tickets[0], 'sim_') === 0, "$name: eight processes got one ticket");
        check($after['token_fetches'] - $before['token_fetches'] === 1
            && $after['ticket_fetches'] - $before['ticket_fetches'] === 1,
            "$name: one token and one ticket fetch for eight processes ("
            . ($after['token_fetches'] - $before['token_fetches']) . ', ' . ($after['ticket_fetches'] - $before['ticket_fetches']) . ')');
    }
    array_map('unlink', glob("$tokens/*"));
    rmdir($tokens);

    // API v3 from PHP in each of WeChat's key modes (WXPAY_SIM_V3: a
    // simulator per mode, else the suite's, which migrates): a ClientV3 from
    // the merchant's files by path, an order, RSA params paid in the
    // simulated WeChat client, the notification (body and headers as
    // delivered) through handlePaymentNotify, a query, a refund, a forged
    // body refused with 401, errors as exceptions.
    $keys = (getenv('WXPAY_VECTORS') ?: dirname(__DIR__, 3) . '/tests/vectors') . '/v3/keys';
    $v3sims = ['migrating' => $sim];
    if (getenv('WXPAY_SIM_V3')) {
        $v3sims = [];
        foreach (explode(',', getenv('WXPAY_SIM_V3')) as $item) {
            [$mode, $url] = explode('=', $item, 2);
            $v3sims[$mode] = $url;
        }
        check(count($v3sims) === 3, 'v3: a simulator for each key mode');
    }
    foreach ($v3sims as $mode => $v3sim) {
        $get = fn(string $path) => json_decode(file_get_contents("$v3sim$path"), true);
        $m = $get('/sim/v3/merchant');
        $options = ['mchid' => $m['mchid'], 'appid' => 'wxd930ea5d5a258f4f', 'merchant_serial' => $m['serial'],
            'apiv3_key' => $m['apiv3_key'], 'private_key_path' => "$keys/merchant_key.pem", 'base_url' => $v3sim,
            'retry_backoff' => 0.01];
        if ($mode !== 'certificate') {
            $options += ['public_key_id' => $m['public_key_id'], 'public_key_path' => "$keys/wechatpay_public_key.pem"];
        }
        if ($mode === 'public-key') {
            $options['auto_certificates'] = false;
        }
        $v3 = new WxPay\ClientV3($options);
        check(strpos(print_r($v3, true), 'PRIVATE') === false, "v3 $mode: the client shows no key");
        $no = "php-v3-$mode-" . getmypid();
        $answer = $v3->prepay(['kind' => 'jsapi', 'description' => 'php-shop', 'out_trade_no' => $no, 'total' => 990,
            'openid' => 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', 'notify_url' => 'http://127.0.0.1:9/v3/notify']);
        $params = $v3->jsapiParams($answer['prepay_id']);
        check($params['signType'] === 'RSA', "v3 $mode: RSA pay params");
        $paid = json_decode(file_get_contents("$v3sim/sim/jsapi/pay", false, stream_context_create(['http' => [
            'method' => 'POST', 'header' => 'Content-Type: application/json', 'content' => json_encode($params)]])), true);
        check(($paid['err_msg'] ?? '') === 'get_brand_wcpay_request:ok', "v3 $mode: paid in the simulated client");
        $notification = null;
        for ($i = 0; $i < 250 && $notification === null; $i++) {
            foreach ($get('/sim/notifications') as $n) {
                if ($n['out_trade_no'] === $no && !empty($n['v3_headers'])) $notification = $n;
            }
            if ($notification === null) usleep(20000);
        }
        check($notification !== null, "v3 $mode: the notification was sent");
        if ($notification !== null) {
            $shopOrders = [$no => ['total_fee' => 990, 'transaction_id' => null]];
            $d = $v3->handlePaymentNotify($notification['v3_headers'], $notification['body'],
                fn(string $o) => $shopOrders[$o] ?? null);
            check($d['status'] === 'paid' && $d['http_status'] === 204 && $d['body'] === '',
                "v3 $mode: notification settled paid");
            $forged = $v3->handlePaymentNotify($notification['v3_headers'], ' ' . $notification['body'],
                function (string $o) { throw new RuntimeException('a forged body reached the lookup'); });
            check($forged['status'] === 'refused' && $forged['http_status'] === 401
                && $forged['error']['kind'] === 'Signature', "v3 $mode: a forged notification is refused with 401");
        }
        $order = $v3->queryOrder(['out_trade_no' => $no, 'total' => 990]);
        check($order['paid'] === true, "v3 $mode: query says paid");
        $refund = $v3->refund(['out_trade_no' => $no, 'out_refund_no' => "$no-r", 'refund' => 100, 'total' => 990]);
        check($refund['refund'] === 100, "v3 $mode: refund");
    }
    $e = attempt(fn() => $v3->queryOrder([]));
    check($e instanceof WxPay\InvalidInputException && ($e->details['field'] ?? null) === 'out_trade_no',
        'v3: a query without a number is refused by name');
    $e = attempt(fn() => $v3->queryOrder(['out_trade_no' => 'php-v3-never-placed']));
    check($e instanceof WxPay\BusinessException && ($e->details['err_code'] ?? null) === 'ORDER_NOT_EXIST',
        'v3: WeChat\'s refusal typed');
    $e = attempt(fn() => new WxPay\ClientV3(['mchid' => '1']));
    check($e instanceof WxPay\InvalidInputException, 'v3: a config without its keys refused');

    proc_terminate($server);
    proc_close($server);
    unlink($orders);
    unlink($shopFile);
} else {
    fwrite(STDERR, "WXPAY_SIM_URL is not set: the flow against the simulator was not run\n");
    $failed++;
}

echo "$passed passed, $failed failed\n";
exit($failed === 0 ? 0 : 1);
