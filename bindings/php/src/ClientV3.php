<?php

namespace WxPay;

/**
 * WeChat Pay API v3 for one merchant, over libwxpay (README, "API v3").
 * Every method is the core's v3 operation of the same name; arguments and
 * rules are the core's. Key material is given as PEM text or by path and
 * never shown.
 *
 *     $client = new WxPay\ClientV3(['mchid' => '1900009191', 'appid' => 'wx…',
 *         'merchant_serial' => '…', 'apiv3_key' => '…', 'private_key_path' => 'apiclient_key.pem',
 *         'public_key_id' => 'PUB_KEY_ID_…', 'public_key_path' => 'pub_key.pem']);
 *     $d = $client->handlePaymentNotify(getallheaders(), file_get_contents('php://input'), $findOrder);
 *     http_response_code($d['http_status']); echo $d['body'];
 */
final class ClientV3
{
    /** @var \FFI\CData|null */
    private $handle;

    /** @param array<string, mixed> $options */
    public function __construct(array $options)
    {
        $ffi = Lib::ffi();
        $handle = $ffi->new('wxpay_client_v3*');
        Lib::check($ffi->wxpay_client_v3_new(Lib::encode($options, 'options'), \FFI::addr($handle)));
        $this->handle = $handle;
    }

    public function __destruct()
    {
        if ($this->handle !== null) {
            Lib::ffi()->wxpay_client_v3_free($this->handle);
            $this->handle = null;
        }
    }

    public function __debugInfo(): array
    {
        return [];
    }

    /**
     * Any v3 operation by name, with named arguments or a list of positional ones.
     * @param array<int|string, mixed> $args
     * @return mixed
     */
    public function call(string $op, array $args = [])
    {
        return Lib::json(fn($out) => Lib::ffi()->wxpay_client_v3_call($this->handle, $op, Lib::encode($args), $out));
    }

    /**
     * A notification operation: the raw body and the request's headers
     * (getallheaders(), or any name => value array).
     * @param array<string, string|string[]> $headers
     * @param array<string, mixed> $more
     * @return mixed
     */
    private function notification(string $op, array $headers, string $body, array $more = [])
    {
        $pairs = [];
        foreach ($headers as $name => $value) {
            foreach ((array) $value as $one) {
                $pairs[] = [(string) $name, (string) $one];
            }
        }
        $args = Lib::encode(['headers' => $pairs] + $more);
        return Lib::json(fn($out) => Lib::ffi()->wxpay_client_v3_call_body(
            $this->handle, $op, $body, strlen($body), $args, $out));
    }

    /** @param array<string, mixed> $order */
    public function prepay(array $order): array { return $this->call('prepay', $order); }

    public function jsapiParams(string $prepayId, ?string $appid = null): array
    {
        return $this->call('jsapi_params', $appid === null ? [$prepayId] : [$prepayId, $appid]);
    }

    public function appParams(string $prepayId): array { return $this->call('app_params', [$prepayId]); }

    /** @param array<string, mixed> $query out_trade_no or transaction_id, total, sub_mchid */
    public function queryOrder(array $query): array { return $this->call('query_order', $query); }

    public function closeOrder(string $outTradeNo, ?string $subMchid = null): void
    {
        $this->call('close_order', $subMchid === null ? [$outTradeNo] : [$outTradeNo, $subMchid]);
    }

    /** @param array<string, mixed> $refund */
    public function refund(array $refund): array { return $this->call('refund', $refund); }

    /** @param array<string, mixed> $refund */
    public function queryRefund(array $refund): array { return $this->call('query_refund', $refund); }

    public function downloadTradeBill(string $billDate, string $billType = 'ALL'): array
    {
        return $this->call('download_trade_bill', [$billDate, $billType]);
    }

    public function downloadFundFlowBill(string $billDate, string $accountType = 'BASIC'): array
    {
        return $this->call('download_fund_flow_bill', [$billDate, $accountType]);
    }

    public function encryptSensitive(string $text): array { return $this->call('encrypt_sensitive', [$text]); }

    /**
     * A notification verified over its raw body with its headers, then decrypted. $now (Unix
     * seconds) replaces the clock only to replay a recorded notification in a test.
     * @param array<string, string|string[]> $headers
     */
    public function parseNotification(array $headers, string $body, ?int $now = null): array
    {
        return $this->notification('parse_notification', $headers, $body, $now === null ? [] : ['now' => $now]);
    }

    /**
     * The whole v3 payment notify handler: $findOrder($outTradeNo) returns your record
     * (['total_fee' => fen, 'transaction_id' => null or the one recorded]) or null. Answer
     * WeChat with the result's http_status and body.
     * @param array<string, string|string[]> $headers
     */
    public function handlePaymentNotify(array $headers, string $body, callable $findOrder): array
    {
        $outTradeNo = $this->notification('payment_notify_order', $headers, $body);
        $order = $outTradeNo === null ? null : $findOrder($outTradeNo);
        return $this->notification('settle_payment_notify', $headers, $body, ['order' => $order]);
    }

    /** @param array<string, string|string[]> $headers */
    public function handleRefundNotify(array $headers, string $body): array
    {
        return $this->notification('handle_refund_notify', $headers, $body);
    }
}
