<?php

namespace WxPay;

/**
 * The pure functions (no I/O).
 *
 *     $sign = WxPay\WxPay::sign(['appid' => 'wx…', 'body' => 'test'], $apiKey);  // HMAC-SHA256
 *     $ok = WxPay\WxPay::verify(WxPay\WxPay::fromXml($body), $apiKey, 'MD5');
 *
 * A sign type left out (null) is the library's default, HMAC-SHA256.
 */
final class WxPay
{
    public static function sign(array $params, string $key, ?string $signType = null): string
    {
        return Lib::text(fn($out) => Lib::ffi()->wxpay_sign(Lib::encode($params, 'params'), $key, $signType, $out));
    }

    public static function verify(array $params, string $key, ?string $signType = null): bool
    {
        $valid = Lib::ffi()->new('bool');
        Lib::check(Lib::ffi()->wxpay_verify(Lib::encode($params, 'params'), $key, $signType, \FFI::addr($valid)));
        return (bool) $valid->cdata;
    }

    public static function toXml(array $params): string
    {
        return Lib::text(fn($out) => Lib::ffi()->wxpay_to_xml(Lib::encode($params, 'params'), $out));
    }

    public static function fromXml(string $xml): array
    {
        return Lib::json(fn($out) => Lib::ffi()->wxpay_from_xml($xml, strlen($xml), $out));
    }

    public static function jssdkSignature(string $ticket, string $nonce, int $timestamp, string $url): string
    {
        return Lib::text(fn($out) => Lib::ffi()->wxpay_jssdk_signature($ticket, $nonce, $timestamp, $url, $out));
    }

    public static function decryptReqInfo(string $reqInfo, string $apiKey): array
    {
        return Lib::json(fn($out) => Lib::ffi()->wxpay_decrypt_req_info($reqInfo, $apiKey, $out));
    }

    public static function notifyAck(): string
    {
        return Lib::text(fn($out) => Lib::ffi()->wxpay_notify_ack($out));
    }

    public static function notifyFail(string $message): string
    {
        return Lib::text(fn($out) => Lib::ffi()->wxpay_notify_fail($message, $out));
    }

    /**
     * Where the library's events go (a token store down, …; never a secret):
     * any PSR-3 logger, or an object with log($level, $message, array
     * $context); $context holds 'wxpay_event' (the event's name) and its
     * fields. Without one, warnings and errors go to error_log(), which
     * php-fpm writes to its log. Events are handed over after each call.
     */
    public static function setLogger(?object $logger): void
    {
        Lib::setLogger($logger);
    }

    /**
     * Which events are built from now on: 'info' (the start: token
     * refreshes, retries, failovers, refused notifications, store trouble)
     * or 'debug' (also one 'call' event per call to WeChat with its outcome,
     * WeChat's code and latency, and one 'attempt' per HTTP exchange),
     * 'warning' or 'error'. Another word is an InvalidInputException.
     *
     *     WxPay\WxPay::setLogLevel('debug');
     */
    public static function setLogLevel(string $level): void
    {
        Lib::check(Lib::ffi()->wxpay_events_set_level($level));
    }

    /**
     * How this process reached libwxpay: "preload" (the scope
     * bindings/php/preload.php loaded for the whole php-fpm pool) or "cdef"
     * (loaded by this process, as on the command line). A health page can
     * show it, to tell whether the pool's preload is in effect.
     *
     *     echo WxPay\WxPay::loadedThrough();   // "cdef" under php-cli
     */
    public static function loadedThrough(): string
    {
        return Lib::loadedThrough();
    }

    public static function version(): string
    {
        return Lib::ffi()->wxpay_version();
    }
}
