<?php
/**
 * WxPay: libwxpay for PHP >= 7.4 through the FFI extension.
 *
 *     $wx = new WxPay\Client(['appid' => 'wx…', 'mch_id' => '…', 'api_key' => '…']);
 *     $order = $wx->unifiedOrder(['body' => 'Shop-Books', 'out_trade_no' => 'order-0001',
 *                                 'total_fee' => 990, 'spbill_create_ip' => $ip, 'openid' => $openid]);
 *     $params = $wx->jsapiParams($order['prepay_id']);
 *
 * Every string the library returns is copied with FFI::string() and freed
 * through the library at once; errors become WxPay\Exception subclasses with
 * the kind, the status, whether a retry is safe, and WeChat's codes.
 * Needs `ffi.enable=1` (or preloading) and libwxpay.so (WXPAY_LIB, or
 * target/debug or target/release of this repository).
 */

namespace WxPay;

class Exception extends \RuntimeException
{
    /** @var string e.g. "Signature" */
    public $kind = 'Internal';
    /** @var bool whether the same call may be made again */
    public $retryable = false;
    /** @var array everything the library said about the failure */
    public $details = [];

    public function __construct(int $status, string $message, array $details)
    {
        parent::__construct($message, $status);
        $this->kind = $details['kind'] ?? 'Internal';
        $this->retryable = (bool) ($details['retryable'] ?? false);
        $this->details = $details;
    }

    public function errCode(): ?string
    {
        return $this->details['err_code'] ?? null;
    }
}

class ConfigException extends Exception {}
class InvalidInputException extends Exception {}
class XmlException extends Exception {}
class SignatureException extends Exception {}
class MismatchException extends Exception {}
class ProtocolException extends Exception {}
class BusinessException extends Exception {}
class MpApiException extends Exception {}
class TransportException extends Exception {}
class CacheException extends Exception {}

/** The loaded library; one per process. */
final class Lib
{
    private static $ffi = null;

    const STATUS_CLASSES = [
        1 => ConfigException::class, 2 => InvalidInputException::class, 3 => XmlException::class,
        4 => SignatureException::class, 5 => MismatchException::class, 6 => ProtocolException::class,
        7 => BusinessException::class, 8 => MpApiException::class, 9 => TransportException::class,
        10 => CacheException::class, 11 => InvalidInputException::class, 12 => InvalidInputException::class,
    ];

    public static function ffi(): \FFI
    {
        if (self::$ffi === null) {
            $root = dirname(__DIR__, 2);
            $header = $root . '/include/wxpay_ffi.h';
            $lib = getenv('WXPAY_LIB') ?: (is_file("$root/target/release/libwxpay.so")
                ? "$root/target/release/libwxpay.so" : "$root/target/debug/libwxpay.so");
            self::$ffi = \FFI::cdef(file_get_contents($header), $lib);
        }
        return self::$ffi;
    }

    /** Throws the exception for a non-zero status. */
    public static function check(int $status): void
    {
        if ($status === 0) {
            return;
        }
        $ffi = self::ffi();
        $message = $ffi->wxpay_last_error_message() ?? 'unknown error';
        $details = json_decode($ffi->wxpay_last_error_details() ?? '{}', true) ?: [];
        $class = self::STATUS_CLASSES[$status] ?? Exception::class;
        throw new $class($status, $message, $details);
    }

    /** Calls $fn(out pointer), copies the returned string and frees it. */
    public static function text(callable $fn): string
    {
        $ffi = self::ffi();
        $out = $ffi->new('char*');
        self::check($fn(\FFI::addr($out)));
        try {
            return \FFI::string($out);
        } finally {
            $ffi->wxpay_string_free($out);
        }
    }

    public static function json(callable $fn): array
    {
        return json_decode(self::text($fn), true, 512, JSON_THROW_ON_ERROR);
    }

    public static function encode(array $value): string
    {
        return json_encode((object) $value, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
    }
}

/** The pure functions. */
final class WxPay
{
    public static function sign(array $params, string $key, string $signType = 'MD5'): string
    {
        return Lib::text(fn($out) => Lib::ffi()->wxpay_sign(Lib::encode($params), $key, $signType, $out));
    }

    public static function verify(array $params, string $key, string $signType = 'MD5'): bool
    {
        $valid = Lib::ffi()->new('bool');
        Lib::check(Lib::ffi()->wxpay_verify(Lib::encode($params), $key, $signType, \FFI::addr($valid)));
        return (bool) $valid->cdata;
    }

    public static function toXml(array $params): string
    {
        return Lib::text(fn($out) => Lib::ffi()->wxpay_to_xml(Lib::encode($params), $out));
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
}

/** A client for one merchant; options as in the C header (appid, mch_id, api_key, base_url, …). */
final class Client
{
    private $handle;

    public function __construct(array $options)
    {
        $ffi = Lib::ffi();
        $handle = $ffi->new('wxpay_client*');
        Lib::check($ffi->wxpay_client_new(Lib::encode($options), \FFI::addr($handle)));
        $this->handle = $handle;
    }

    public function __destruct()
    {
        if ($this->handle !== null) {
            Lib::ffi()->wxpay_client_free($this->handle);
            $this->handle = null;
        }
    }

    private function call(string $fn, string $arg): array
    {
        return Lib::json(fn($out) => Lib::ffi()->$fn($this->handle, $arg, $out));
    }

    public function unifiedOrder(array $order): array { return $this->call('wxpay_client_unified_order', Lib::encode($order)); }
    public function jsapiParams(string $prepayId): array { return $this->call('wxpay_client_jsapi_params', $prepayId); }
    public function jssdkPayParams(string $prepayId): array { return $this->call('wxpay_client_jssdk_pay_params', $prepayId); }
    public function appPayParams(string $prepayId): array { return $this->call('wxpay_client_app_pay_params', $prepayId); }
    public function queryOrder(array $which): array { return $this->call('wxpay_client_query_order', Lib::encode($which)); }
    public function closeOrder(string $outTradeNo): array { return $this->call('wxpay_client_close_order', $outTradeNo); }
    public function refund(array $refund): array { return $this->call('wxpay_client_refund', Lib::encode($refund)); }
    public function queryRefund(array $query): array { return $this->call('wxpay_client_query_refund', Lib::encode($query)); }
    public function downloadBill(array $request): array { return $this->call('wxpay_client_download_bill', Lib::encode($request)); }
    public function confirmPayment(array $notify): array { return $this->call('wxpay_client_confirm_payment', Lib::encode($notify)); }
    public function oauthExchangeCode(string $code): array { return $this->call('wxpay_client_oauth_exchange_code', $code); }

    /** Verifies a notification body; with $expectedTotalFee > 0 the amount must match too. */
    public function verifyPaymentNotify(string $body, int $expectedTotalFee = 0): array
    {
        return Lib::json(fn($out) => Lib::ffi()->wxpay_client_verify_payment_notify(
            $this->handle, $body, strlen($body), $expectedTotalFee, $out));
    }

    public function parseRefundNotify(string $body): array
    {
        return Lib::json(fn($out) => Lib::ffi()->wxpay_client_parse_refund_notify($this->handle, $body, strlen($body), $out));
    }

    public function oauthAuthorizeUrl(string $redirectUri, string $scope = 'snsapi_base', ?string $state = null): string
    {
        return Lib::text(fn($out) => Lib::ffi()->wxpay_client_oauth_authorize_url(
            $this->handle, $redirectUri, $scope, $state, $out));
    }

    /** A stateless OAuth state bound to $context (e.g. session_id()). */
    public function oauthState(string $context): string
    {
        return Lib::text(fn($out) => Lib::ffi()->wxpay_client_oauth_state($this->handle, $context, $out));
    }

    /** Throws InvalidInputException unless $state came from oauthState($context) within $maxAge seconds. */
    public function checkOAuthState(string $state, string $context, int $maxAge = 600): void
    {
        Lib::check(Lib::ffi()->wxpay_client_check_oauth_state($this->handle, $state, $context, $maxAge));
    }

    public function accessToken(): string
    {
        return Lib::text(fn($out) => Lib::ffi()->wxpay_client_access_token($this->handle, $out));
    }

    public function jsapiTicket(): string
    {
        return Lib::text(fn($out) => Lib::ffi()->wxpay_client_jsapi_ticket($this->handle, $out));
    }

    public function jssdkConfig(string $url, array $jsApiList): array
    {
        return Lib::json(fn($out) => Lib::ffi()->wxpay_client_jssdk_config(
            $this->handle, $url, json_encode(array_values($jsApiList)), $out));
    }
}
