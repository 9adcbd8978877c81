<?php

namespace WxPay;

/**
 * A client for one merchant. Options and request fields are the C
 * header's (appid, mch_id, api_key, base_url, …); every argument is judged
 * by the library, which names the one at fault in an InvalidInputException.
 *
 *     $wx = new WxPay\Client(['appid' => 'wx…', 'mch_id' => '…', 'api_key' => '…']);
 *     $order = $wx->unifiedOrder(['body' => 'Shop-Books', 'out_trade_no' => 'order-0001',
 *                                 'total_fee' => 990, 'spbill_create_ip' => $ip, 'openid' => $openid]);
 *     $params = $wx->jsapiParams($order['prepay_id']);
 */
final class Client
{
    private $handle;

    public function __construct(array $options)
    {
        $ffi = Lib::ffi();
        $handle = $ffi->new('wxpay_client*');
        Lib::check($ffi->wxpay_client_new(Lib::encode($options, 'options'), \FFI::addr($handle)));
        $this->handle = $handle;
    }

    public function __destruct()
    {
        if ($this->handle !== null) {
            Lib::ffi()->wxpay_client_free($this->handle);
            $this->handle = null;
        }
    }

    /**
     * Any operation by name, with named arguments (['out_trade_no' => …]) or
     * positional ones (a list); the README lists them.
     * @return mixed
     */
    public function call(string $op, array $args = [])
    {
        return Lib::json(fn($out) => Lib::ffi()->wxpay_client_call($this->handle, $op, Lib::encode($args), $out));
    }

    /** Runs an operation whose first argument is raw bytes (a gzip bill chunk, a notification body). */
    public function callBody(string $op, string $body, array $args = [])
    {
        return Lib::json(fn($out) => Lib::ffi()->wxpay_client_call_body(
            $this->handle, $op, $body, strlen($body), Lib::encode($args), $out));
    }

    private function one(string $fn, string $arg): array
    {
        return Lib::json(fn($out) => Lib::ffi()->$fn($this->handle, $arg, $out));
    }

    public function unifiedOrder(array $order): array { return $this->one('wxpay_client_unified_order', Lib::encode($order)); }

    /*
     * A service provider names the sub-merchant of a call (docs/protocol.md §15):
     * 'sub_mch_id' and 'sub_appid' in the request arrays, or $subMerchant below.
     * Pay params for a sub-merchant with a 'sub_appid' are signed with it.
     */
    public function jsapiParams(string $prepayId, ?array $subMerchant = null): array
    {
        if ($subMerchant !== null) return $this->call('jsapi_params', ['prepay_id' => $prepayId] + $subMerchant);
        return $this->one('wxpay_client_jsapi_params', $prepayId);
    }
    public function jssdkPayParams(string $prepayId, ?array $subMerchant = null): array
    {
        if ($subMerchant !== null) return $this->call('jssdk_pay_params', ['prepay_id' => $prepayId] + $subMerchant);
        return $this->one('wxpay_client_jssdk_pay_params', $prepayId);
    }
    public function appPayParams(string $prepayId, ?array $subMerchant = null): array
    {
        if ($subMerchant !== null) return $this->call('app_pay_params', ['prepay_id' => $prepayId] + $subMerchant);
        return $this->one('wxpay_client_app_pay_params', $prepayId);
    }
    public function queryOrder(array $which): array { return $this->one('wxpay_client_query_order', Lib::encode($which)); }
    public function closeOrder(string $outTradeNo, ?array $subMerchant = null): array
    {
        if ($subMerchant !== null) return $this->call('close_order', ['out_trade_no' => $outTradeNo] + $subMerchant);
        return $this->one('wxpay_client_close_order', $outTradeNo);
    }
    public function refund(array $refund): array { return $this->one('wxpay_client_refund', Lib::encode($refund)); }
    public function queryRefund(array $query): array { return $this->one('wxpay_client_query_refund', Lib::encode($query)); }
    public function downloadBill(array $request): array { return $this->one('wxpay_client_download_bill', Lib::encode($request)); }

    public function confirmPayment(array $notify): array { return $this->one('wxpay_client_confirm_payment', Lib::encode($notify)); }
    public function oauthExchangeCode(string $code): array { return $this->one('wxpay_client_oauth_exchange_code', $code); }

    /** Verifies a notification body; with $totalFee (your order's amount in fen) the amount must match too. */
    public function verifyPaymentNotify(string $body, ?int $totalFee = null): array
    {
        return Lib::json(fn($out) => Lib::ffi()->wxpay_client_verify_payment_notify(
            $this->handle, $body, strlen($body), $totalFee ?? 0, $out));
    }

    /** Throws MismatchException unless the verified $notify pays exactly $totalFee fen (your order's amount). */
    public function checkAmount(array $notify, int $totalFee): void
    {
        Lib::check(Lib::ffi()->wxpay_client_check_amount($this->handle, Lib::encode($notify), $totalFee));
    }

    /**
     * The whole notify handler: verifies $body, asks $findOrder($outTradeNo)
     * for your record of the order (['total_fee' => fen, 'transaction_id' =>
     * the one you recorded once paid, or null], or null when you have no such
     * order; called only for a verified payment), compares amount, currency
     * and transaction, confirms with orderquery and decides. 'status': 'paid'
     * (mark the order paid, then send 'reply'), 'already_paid', 'not_paid' or
     * 'refused' ('error' holds the details). Always answer WeChat with
     * 'reply' as text/xml.
     */
    public function handlePaymentNotify(string $body, callable $findOrder): array
    {
        $outTradeNo = $this->paymentNotifyOrder($body);
        return $this->settlePaymentNotify($body, $outTradeNo === null ? null : $findOrder($outTradeNo));
    }

    /** handlePaymentNotify() with your record of the order at hand (null: no such order). */
    public function settlePaymentNotify(string $body, ?array $order): array
    {
        $json = $order === null ? 'null' : Lib::encode($order);
        return Lib::json(fn($out) => Lib::ffi()->wxpay_client_settle_payment_notify(
            $this->handle, $body, strlen($body), $json, $out));
    }

    /** The out_trade_no a verified payment notification is about; null when it does not verify or is not a payment. */
    public function paymentNotifyOrder(string $body): ?string
    {
        return Lib::maybeText(fn($out) => Lib::ffi()->wxpay_client_payment_notify_order(
            $this->handle, $body, strlen($body), $out));
    }

    public function parseRefundNotify(string $body): array
    {
        return Lib::json(fn($out) => Lib::ffi()->wxpay_client_parse_refund_notify($this->handle, $body, strlen($body), $out));
    }

    /** The OAuth authorize URL; $scope null is the library's default, snsapi_base. */
    public function oauthAuthorizeUrl(string $redirectUri, ?string $scope = null, ?string $state = null): string
    {
        return Lib::text(fn($out) => Lib::ffi()->wxpay_client_oauth_authorize_url(
            $this->handle, $redirectUri, $scope, $state, $out));
    }

    /** A stateless OAuth state bound to $context (e.g. session_id()). */
    public function oauthState(string $context): string
    {
        return Lib::text(fn($out) => Lib::ffi()->wxpay_client_oauth_state($this->handle, $context, $out));
    }

    /** Throws InvalidInputException unless $state came from oauthState($context) within $maxAge seconds (null: the library's default). */
    public function checkOauthState(string $state, string $context, ?int $maxAge = null): void
    {
        Lib::check(Lib::ffi()->wxpay_client_check_oauth_state($this->handle, $state, $context, $maxAge ?? 0));
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
            $this->handle, $url, Lib::encode(array_values($jsApiList), 'js_api_list'), $out));
    }

    // <generated by packaging/gen_hosts.py from the core's operation table: do not edit>
    /**
     * Downloads one day's fund flow of one account (`pay/downloadfundflow`, `account_type` Basic,
     * Operation or Fees; HMAC-SHA256 and the client certificate), parsed into `columns`, `rows` and
     * `totals` in fen that the rows are checked against. A day without movement is `no_bill`.
     */
    public function downloadFundFlow(string $billDate, ?string $accountType = null, ?bool $gzip = null): array
    {
        return $this->call('download_fund_flow', ['bill_date' => $billDate, 'account_type' => $accountType, 'gzip' => $gzip]);
    }

    /**
     * A counter payment to its end (`pay/micropay`, then orderquery and reverse as needed): `status`
     * is `paid`, `reversed`, `failed` or `unsettled` (money may have moved: never ask for another
     * code; `follow_up` says whether to query or reverse later).
     */
    public function micropay(array $request): array
    {
        return $this->call('micropay', $request);
    }

    /**
     * Reverses a counter payment (`secapi/pay/reverse`) by out_trade_no until WeChat confirms it: for
     * an unsettled payment whose `follow_up` is `reverse`.
     */
    public function reverse(string $outTradeNo, ?array $subMerchant = null): array
    {
        return $this->call('reverse', ['out_trade_no' => $outTradeNo] + ($subMerchant ?? []));
    }

    /**
     * The openid of the customer whose payment code was scanned (`tools/authcodetoopenid`).
     */
    public function authCodeToOpenid(string $authCode, ?array $subMerchant = null): string
    {
        return $this->call('auth_code_to_openid', ['auth_code' => $authCode] + ($subMerchant ?? []));
    }

    /**
     * Registers a profit-sharing receiver (`pay/profitsharingaddreceiver`): `type` (MERCHANT_ID,
     * PERSONAL_OPENID, PERSONAL_SUB_OPENID), `account`, `relation_type`, and `name` (required for
     * MERCHANT_ID), `custom_relation` (with CUSTOM). HMAC-SHA256 always.
     */
    public function addProfitSharingReceiver(array $request): void
    {
        $this->call('add_profit_sharing_receiver', $request);
    }

    /**
     * Removes a profit-sharing receiver (`pay/profitsharingremovereceiver`) by `type` and `account`.
     */
    public function removeProfitSharingReceiver(array $request): void
    {
        $this->call('remove_profit_sharing_receiver', $request);
    }

    /**
     * Shares a paid order's money (`secapi/pay/profitsharing`, or `multiprofitsharing` with `multi`;
     * the client certificate): `transaction_id`, `out_order_no`, `receivers` (`type`, `account`,
     * `amount` in fen, `description`). A single sharing releases the rest; the reply says accepted,
     * `query_profit_sharing` how it went.
     */
    public function profitSharing(array $request): array
    {
        return $this->call('profit_sharing', $request);
    }

    /**
     * How a sharing or a finish went (`pay/profitsharingquery`): `status` PROCESSING or FINISHED, each
     * receiver's `result`.
     */
    public function queryProfitSharing(string $transactionId, string $outOrderNo, ?array $subMerchant = null): array
    {
        return $this->call('query_profit_sharing', ['transaction_id' => $transactionId, 'out_order_no' => $outOrderNo] + ($subMerchant ?? []));
    }

    /**
     * Releases what is left of an order to the merchant (`secapi/pay/profitsharingfinish`):
     * `transaction_id`, a new `out_order_no`, `description`.
     */
    public function finishProfitSharing(string $transactionId, string $outOrderNo, string $description, ?array $subMerchant = null): array
    {
        return $this->call('finish_profit_sharing', ['transaction_id' => $transactionId, 'out_order_no' => $outOrderNo, 'description' => $description] + ($subMerchant ?? []));
    }

    /**
     * What of a paid order is still unshared (`pay/profitsharingorderamountquery`), in fen.
     */
    public function profitSharingUnsplitAmount(string $transactionId, ?array $subMerchant = null): array
    {
        return $this->call('profit_sharing_unsplit_amount', ['transaction_id' => $transactionId] + ($subMerchant ?? []));
    }

    /**
     * Takes money back from a merchant receiver of a sharing (`secapi/pay/profitsharingreturn`, the
     * client certificate): `order_id` or `out_order_no` (the sharing), `out_return_no`,
     * `return_account`, `return_amount` in fen, `description`. `result` is SUCCESS, FAILED or
     * PROCESSING (then ask again with `query_profit_sharing_return`, same `out_return_no`).
     */
    public function profitSharingReturn(array $request): array
    {
        return $this->call('profit_sharing_return', $request);
    }

    /**
     * How a return went (`pay/profitsharingreturnquery`): `order_id` or `out_order_no`, and
     * `out_return_no`.
     */
    public function queryProfitSharingReturn(array $request): array
    {
        return $this->call('query_profit_sharing_return', $request);
    }

    /**
     * The share of a sub-merchant's orders a service provider may take
     * (`pay/profitsharingmerchantratioquery`), in ten-thousandths: call it for the sub-merchant, or
     * give a `brand_mch_id`.
     */
    public function profitSharingMaxRatio(?string $brandMchId = null, ?array $subMerchant = null): array
    {
        return $this->call('profit_sharing_max_ratio', ['brand_mch_id' => $brandMchId] + ($subMerchant ?? []));
    }

    /**
     * Reconciles a day at once: the trade bill as downloaded (`body`: the ALL bill, plain or gzip, or
     * `No Bill Exist`) against the shop's `records` (`out_trade_no` and `total_fee` for a payment;
     * `out_refund_no`, `out_trade_no` and `refund_fee` for a refund; fen). For a large day use
     * `reconcile_start` and stream. No I/O.
     */
    public function reconcile(string $body, array $records): array
    {
        return $this->callBody('reconcile', $body, ['records' => $records]);
    }

    /**
     * Opens a reconciliation to feed in many calls, in bounded memory: `memory_mib` (memory for both
     * sides before spilling to disk, default 48), `spill_dir`, `list_limit` (differences listed,
     * default 1,000). Returns its id; end it with `reconcile_finish`. No I/O.
     */
    public function reconcileStart(array $request): string
    {
        return $this->call('reconcile_start', $request);
    }

    /**
     * The next bytes of an open reconciliation's bill, in chunks of any size. No I/O.
     */
    public function reconcileBill(string $body, string $reconciliation): void
    {
        $this->callBody('reconcile_bill', $body, ['reconciliation' => $reconciliation]);
    }

    /**
     * Downloads the day's `ALL` trade bill (gzip) straight into an open reconciliation, its bytes
     * never parsed into rows in memory; `No Bill Exist` is an empty day.
     */
    public function reconcileDownloadBill(string $reconciliation, string $billDate, ?array $subMerchant = null): void
    {
        $this->call('reconcile_download_bill', ['reconciliation' => $reconciliation, 'bill_date' => $billDate] + ($subMerchant ?? []));
    }

    /**
     * A batch of the shop's records for an open reconciliation (as for `reconcile`); a bad record
     * refuses the whole batch. No I/O.
     */
    public function reconcileShop(string $reconciliation, array $records): void
    {
        $this->call('reconcile_shop', ['reconciliation' => $reconciliation, 'records' => $records]);
    }

    /**
     * The next bytes of the shop's records as CSV (a header naming `out_trade_no`, `total_fee`,
     * `transaction_id`, `out_refund_no`, `refund_fee`, `refund_id`; amounts in fen) for an open
     * reconciliation. No I/O.
     */
    public function reconcileShopCsv(string $body, string $reconciliation): void
    {
        $this->callBody('reconcile_shop_csv', $body, ['reconciliation' => $reconciliation]);
    }

    /**
     * Compares an open reconciliation's bill and records and closes it: totals of each side, what
     * matched, each kind of difference counted and the first ones listed. No I/O.
     */
    public function reconcileFinish(string $reconciliation): array
    {
        return $this->call('reconcile_finish', ['reconciliation' => $reconciliation]);
    }

    /**
     * The link of a Native mode-one QR code, printed once for a product (`weixin://wxpay/bizpayurl?…`,
     * signed MD5). No I/O.
     */
    public function nativeQrLink(string $productId): string
    {
        return $this->call('native_qr_link', ['product_id' => $productId]);
    }

    /**
     * A short `weixin://wxpay/s/…` link for a long `weixin://` link (`tools/shorturl`), for a smaller
     * QR code.
     */
    public function shortUrl(string $longUrl, ?array $subMerchant = null): string
    {
        return $this->call('short_url', ['long_url' => $longUrl] + ($subMerchant ?? []));
    }

    /**
     * Verifies the scan callback of a Native mode-one QR code (MD5 signature, appid, mch_id): who
     * scanned (`openid`) which `product_id`. Place the order with both, then answer with
     * `native_scan_reply`. No I/O.
     */
    public function verifyScanCallback(string $body): array
    {
        return $this->callBody('verify_scan_callback', $body, []);
    }

    /**
     * The signed XML answering a scan callback with the order's `prepay_id`. No I/O.
     */
    public function nativeScanReply(string $prepayId): string
    {
        return $this->call('native_scan_reply', ['prepay_id' => $prepayId]);
    }

    /**
     * The signed XML refusing a scan callback (sold out, closed); WeChat shows `message` to the payer.
     * No I/O.
     */
    public function nativeScanRefusal(string $message): string
    {
        return $this->call('native_scan_refusal', ['message' => $message]);
    }

    /**
     * The refund notify handler in one call: decrypts and checks the raw body and decides the reply:
     * `status` `refunded` (record it once, then reply), `not_refunded` (REFUNDCLOSE or CHANGE) or
     * `refused` (`error` says why; the reply is FAIL). No I/O.
     */
    public function handleRefundNotify(string $body): array
    {
        return $this->callBody('handle_refund_notify', $body, []);
    }

    /**
     * A mini-program login: the `code` of `wx.login()` exchanged for the user's openid, unionid and
     * session_key (with the client's appid and app_secret, the mini-program's); never retried once
     * sent. The session_key is a secret: keep it on the server.
     */
    public function jscode2session(string $code): array
    {
        return $this->call('jscode2session', ['code' => $code]);
    }

    /**
     * What this client did since it was made: calls by operation and outcome (`ok` or the error kind)
     * with their latency in ms (p50, p90, p99, max, mean), requests sent to WeChat, retries,
     * failovers, token fetches and token store failures. No I/O.
     */
    public function metrics(): array
    {
        return $this->call('metrics', []);
    }

    /**
     * The same counts in Prometheus' text format, labelled with the client's mch_id, for a `/metrics`
     * endpoint. No I/O.
     */
    public function metricsPrometheus(): string
    {
        return $this->call('metrics_prometheus', []);
    }

    /**
     * Whether the token store answers (`store`, `healthy`, and the failing store's `error`): while it
     * fails, each process fetches its own tokens. What the last uses of the store found; no I/O.
     */
    public function tokenStoreHealth(): array
    {
        return $this->call('token_store_health', []);
    }
    // </generated>
}
