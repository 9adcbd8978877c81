package io.wxpay

import io.wxpay.WxPayException.Companion.native
import io.wxpay.ffi.NativeClient
import java.util.function.Function

/**
 * WeChat Pay for one merchant and official account. Safe to share between
 * threads (one per application, e.g. a Spring bean); close it when done.
 * Requests are maps with WeChat's field names (`out_trade_no` or
 * `outTradeNo`), amounts are fen as integers, results are maps in the
 * same names. Every rule is checked by the core before anything is sent,
 * and every reply's signature, appid, mch_id and amount afterwards.
 *
 * ```java
 * try (WxPayClient wx = new WxPayClient(Map.of(
 *         "appid", "wx2421b1c4370ec43b", "mch_id", "10000100",
 *         "api_key", System.getenv("WXPAY_API_KEY")))) {
 *     Map<String, Object> order = wx.unifiedOrder(Map.of("body", "Tea", "out_trade_no", "order-0001",
 *         "total_fee", 1500, "spbill_create_ip", "203.0.113.7",
 *         "notify_url", "https://shop.example/wxpay/notify", "openid", openid));
 *     Map<String, Object> params = wx.jsapiParams((String) order.get("prepay_id"));
 * }
 * ```
 *
 * @param options `appid`, `mch_id`, `api_key`, and optionally `app_secret`,
 *   `sign_type`, `base_url`, `token_store` (a `redis://` or `file:` URL), … —
 *   the same options every wxpay binding takes.
 * @param store a token store of the application's own, instead of `token_store`.
 */
class WxPayClient @JvmOverloads @Throws(WxPayException::class) constructor(
    options: Map<String, *>,
    store: TokenStore? = null,
) : AutoCloseable {
    private val native: NativeClient = run {
        // The lane's library first, so uniffi loads the same one.
        Lane.ready()
        native { NativeClient(Json.write(options), store?.let(::StoreBridge)) }
    }

    /** The number the byte lane finds this client by. */
    private val laneId: Long = native.laneId().also {
        // Only if io.wxpay.ffi loaded the library before this API did are
        // there two copies, and the lane cannot see uniffi's clients.
        check(Lane.knows(it)) {
            "wxpay: the native library was loaded twice (io.wxpay.ffi was used before WxPay or WxPayClient); " +
                "use the io.wxpay API first"
        }
    }

    /** The merchant's appid. */
    val appid: String get() = native.appid()

    /** The merchant's mch_id. */
    val mchId: String get() = native.mchId()

    /**
     * Runs any operation by its name (`unified_order`, `query_order`, …)
     * with [args]: a map of named arguments, a list of positional ones, or
     * one value. The result as maps, lists, strings, `Long` and booleans.
     */
    @Throws(WxPayException::class)
    fun call(op: String, args: Any?): Any? =
        Lane.json(onLane { Lane.call(it, op.toByteArray(Charsets.UTF_8), Lane.jsonArg(args)) })

    private inline fun onLane(call: (Long) -> ByteArray): ByteArray = Lane.on(native, laneId, call)

    @Suppress("UNCHECKED_CAST")
    private fun map(op: String, args: Any?): Map<String, Any?> = call(op, args) as Map<String, Any?>

    private fun text(op: String, args: Any?): String = call(op, args) as String

    private fun onBody(op: String, body: ByteArray, args: Any?): Pair<Any?, WxPayException?> =
        Lane.body(onLane { Lane.callBody(it, op.toByteArray(Charsets.UTF_8), body, Lane.jsonArg(args)) })

    @Suppress("UNCHECKED_CAST")
    private fun bodyCall(op: String, body: ByteArray, args: List<Any?>): Map<String, Any?> =
        onBody(op, body, args).first as Map<String, Any?>

    /** The arguments given (a null one is left to the core's default). */
    private fun given(vararg args: Pair<String, Any?>): Map<String, Any?> = args.filter { it.second != null }.toMap()

    /** `pay/orderquery` by out_trade_no. */
    @Throws(WxPayException::class)
    fun queryOrder(outTradeNo: String): Map<String, Any?> = map("query_order", listOf(outTradeNo))

    /** `pay/orderquery` (`out_trade_no` or `transaction_id`, and a sub-merchant's fields). */
    @Throws(WxPayException::class)
    fun queryOrder(request: Map<String, *>): Map<String, Any?> = map("query_order", request)

    /** `pay/downloadbill`: `columns`, `rows` and `summary` (`bill_date`, and optionally `bill_type`, `gzip`). */
    @Throws(WxPayException::class)
    fun downloadBill(request: Map<String, *>): Map<String, Any?> = map("download_bill", request)

    /** Verifies a payment notification (signature, appid, mch_id, fields). No I/O. */
    @Throws(WxPayException::class)
    fun verifyPaymentNotify(body: ByteArray): Map<String, Any?> = bodyCall("verify_payment_notify", body, listOf())

    /** As [verifyPaymentNotify], also checking the amount against the shop's own [totalFee] (fen). */
    @Throws(WxPayException::class)
    fun verifyPaymentNotify(body: ByteArray, totalFee: Long): Map<String, Any?> =
        bodyCall("verify_payment_notify", body, listOf(totalFee))

    /**
     * The whole notify handler: verify, look up the shop's order with
     * [findOrder] (out_trade_no → a map with `total_fee`, and
     * `transaction_id` once paid, `sub_mch_id` for a sub-merchant's order; null
     * when there is none), check the amount, confirm with orderquery.
     */
    @Throws(WxPayException::class)
    fun handlePaymentNotify(body: ByteArray, findOrder: Function<String, Map<String, *>?>): NotifyDecision {
        val order = paymentNotifyOrder(body)?.let { findOrder.apply(it) }
        return settlePaymentNotify(body, order)
    }

    /** [handlePaymentNotify] with the shop's order already at hand (null: no such order). */
    @Throws(WxPayException::class)
    fun settlePaymentNotify(body: ByteArray, order: Map<String, *>?): NotifyDecision {
        val (decision, refusal) = onBody("settle_payment_notify", body, listOf(order))
        @Suppress("UNCHECKED_CAST")
        return NotifyDecision(decision as Map<String, Any?>, refusal)
    }

    /** Checks a state from [oauthState] on the redirect; throws when forged, expired or for another context. */
    @JvmOverloads
    @Throws(WxPayException::class)
    fun checkOauthState(state: String, context: String, maxAgeSeconds: Long? = null) {
        call("check_oauth_state", given("state" to state, "context" to context, "max_age" to maxAgeSeconds))
    }

    // <generated by packaging/gen_hosts.py from the core's operation table: do not edit>
    /**
     * Places an order (`pay/unifiedorder`): `prepay_id`, and `code_url` for NATIVE. `total_fee` is
     * integer fen.
     */
    @Throws(WxPayException::class)
    fun unifiedOrder(request: Map<String, *>): Map<String, Any?> =
        map("unified_order", request)

    /**
     * The `WeixinJSBridge` `getBrandWCPayRequest` params for a prepay_id. No I/O.
     */
    @Throws(WxPayException::class)
    fun jsapiParams(prepayId: String): Map<String, Any?> =
        map("jsapi_params", given("prepay_id" to prepayId))

    /**
     * As [jsapiParams] for a service provider's sub-merchant (`sub_mch_id`, `sub_appid`).
     */
    @Throws(WxPayException::class)
    fun jsapiParams(prepayId: String, subMerchant: Map<String, *>): Map<String, Any?> =
        map("jsapi_params", subMerchant + given("prepay_id" to prepayId))

    /**
     * The `wx.chooseWXPay` params for a prepay_id (note `timestamp`, lower case). No I/O.
     */
    @Throws(WxPayException::class)
    fun jssdkPayParams(prepayId: String): Map<String, Any?> =
        map("jssdk_pay_params", given("prepay_id" to prepayId))

    /**
     * As [jssdkPayParams] for a service provider's sub-merchant (`sub_mch_id`, `sub_appid`).
     */
    @Throws(WxPayException::class)
    fun jssdkPayParams(prepayId: String, subMerchant: Map<String, *>): Map<String, Any?> =
        map("jssdk_pay_params", subMerchant + given("prepay_id" to prepayId))

    /**
     * The params an app hands to the WeChat SDK's `PayReq` for a prepay_id. No I/O.
     */
    @Throws(WxPayException::class)
    fun appPayParams(prepayId: String): Map<String, Any?> =
        map("app_pay_params", given("prepay_id" to prepayId))

    /**
     * As [appPayParams] for a service provider's sub-merchant (`sub_mch_id`, `sub_appid`).
     */
    @Throws(WxPayException::class)
    fun appPayParams(prepayId: String, subMerchant: Map<String, *>): Map<String, Any?> =
        map("app_pay_params", subMerchant + given("prepay_id" to prepayId))

    /**
     * Closes an unpaid order (`pay/closeorder`); an order WeChat already closed gives
     * `already_closed`.
     */
    @Throws(WxPayException::class)
    fun closeOrder(outTradeNo: String): Map<String, Any?> =
        map("close_order", given("out_trade_no" to outTradeNo))

    /**
     * As [closeOrder] for a service provider's sub-merchant (`sub_mch_id`, `sub_appid`).
     */
    @Throws(WxPayException::class)
    fun closeOrder(outTradeNo: String, subMerchant: Map<String, *>): Map<String, Any?> =
        map("close_order", subMerchant + given("out_trade_no" to outTradeNo))

    /**
     * Refunds an order (`secapi/pay/refund`, needs the merchant certificate): `out_refund_no`,
     * `total_fee`, `refund_fee` and one of `out_trade_no` and `transaction_id`.
     */
    @Throws(WxPayException::class)
    fun refund(request: Map<String, *>): Map<String, Any?> =
        map("refund", request)

    /**
     * Queries refunds (`pay/refundquery`) by exactly one of `refund_id`, `out_refund_no`,
     * `transaction_id` and `out_trade_no`, with an optional `offset`.
     */
    @Throws(WxPayException::class)
    fun queryRefund(request: Map<String, *>): Map<String, Any?> =
        map("query_refund", request)

    /**
     * Downloads one day's fund flow of one account (`pay/downloadfundflow`, `account_type` Basic,
     * Operation or Fees; HMAC-SHA256 and the client certificate), parsed into `columns`, `rows` and
     * `totals` in fen that the rows are checked against. A day without movement is `no_bill`.
     */
    @JvmOverloads
    @Throws(WxPayException::class)
    fun downloadFundFlow(billDate: String, accountType: String? = null, gzip: Boolean? = null): Map<String, Any?> =
        map("download_fund_flow", given("bill_date" to billDate, "account_type" to accountType, "gzip" to gzip))

    /**
     * A counter payment to its end (`pay/micropay`, then orderquery and reverse as needed): `status`
     * is `paid`, `reversed`, `failed` or `unsettled` (money may have moved: never ask for another
     * code; `follow_up` says whether to query or reverse later).
     */
    @Throws(WxPayException::class)
    fun micropay(request: Map<String, *>): Map<String, Any?> =
        map("micropay", request)

    /**
     * Reverses a counter payment (`secapi/pay/reverse`) by out_trade_no until WeChat confirms it: for
     * an unsettled payment whose `follow_up` is `reverse`.
     */
    @Throws(WxPayException::class)
    fun reverse(outTradeNo: String): Map<String, Any?> =
        map("reverse", given("out_trade_no" to outTradeNo))

    /**
     * As [reverse] for a service provider's sub-merchant (`sub_mch_id`, `sub_appid`).
     */
    @Throws(WxPayException::class)
    fun reverse(outTradeNo: String, subMerchant: Map<String, *>): Map<String, Any?> =
        map("reverse", subMerchant + given("out_trade_no" to outTradeNo))

    /**
     * The openid of the customer whose payment code was scanned (`tools/authcodetoopenid`).
     */
    @Throws(WxPayException::class)
    fun authCodeToOpenid(authCode: String): String =
        text("auth_code_to_openid", given("auth_code" to authCode))

    /**
     * As [authCodeToOpenid] for a service provider's sub-merchant (`sub_mch_id`, `sub_appid`).
     */
    @Throws(WxPayException::class)
    fun authCodeToOpenid(authCode: String, subMerchant: Map<String, *>): String =
        text("auth_code_to_openid", subMerchant + given("auth_code" to authCode))

    /**
     * Registers a profit-sharing receiver (`pay/profitsharingaddreceiver`): `type` (MERCHANT_ID,
     * PERSONAL_OPENID, PERSONAL_SUB_OPENID), `account`, `relation_type`, and `name` (required for
     * MERCHANT_ID), `custom_relation` (with CUSTOM). HMAC-SHA256 always.
     */
    @Throws(WxPayException::class)
    fun addProfitSharingReceiver(request: Map<String, *>) {
        call("add_profit_sharing_receiver", request)
    }

    /**
     * Removes a profit-sharing receiver (`pay/profitsharingremovereceiver`) by `type` and `account`.
     */
    @Throws(WxPayException::class)
    fun removeProfitSharingReceiver(request: Map<String, *>) {
        call("remove_profit_sharing_receiver", request)
    }

    /**
     * Shares a paid order's money (`secapi/pay/profitsharing`, or `multiprofitsharing` with `multi`;
     * the client certificate): `transaction_id`, `out_order_no`, `receivers` (`type`, `account`,
     * `amount` in fen, `description`). A single sharing releases the rest; the reply says accepted,
     * `query_profit_sharing` how it went.
     */
    @Throws(WxPayException::class)
    fun profitSharing(request: Map<String, *>): Map<String, Any?> =
        map("profit_sharing", request)

    /**
     * How a sharing or a finish went (`pay/profitsharingquery`): `status` PROCESSING or FINISHED, each
     * receiver's `result`.
     */
    @Throws(WxPayException::class)
    fun queryProfitSharing(transactionId: String, outOrderNo: String): Map<String, Any?> =
        map("query_profit_sharing", given("transaction_id" to transactionId, "out_order_no" to outOrderNo))

    /**
     * As [queryProfitSharing] for a service provider's sub-merchant (`sub_mch_id`, `sub_appid`).
     */
    @Throws(WxPayException::class)
    fun queryProfitSharing(transactionId: String, outOrderNo: String, subMerchant: Map<String, *>): Map<String, Any?> =
        map("query_profit_sharing", subMerchant + given("transaction_id" to transactionId, "out_order_no" to outOrderNo))

    /**
     * Releases what is left of an order to the merchant (`secapi/pay/profitsharingfinish`):
     * `transaction_id`, a new `out_order_no`, `description`.
     */
    @Throws(WxPayException::class)
    fun finishProfitSharing(transactionId: String, outOrderNo: String, description: String): Map<String, Any?> =
        map("finish_profit_sharing", given("transaction_id" to transactionId, "out_order_no" to outOrderNo, "description" to description))

    /**
     * As [finishProfitSharing] for a service provider's sub-merchant (`sub_mch_id`, `sub_appid`).
     */
    @Throws(WxPayException::class)
    fun finishProfitSharing(transactionId: String, outOrderNo: String, description: String, subMerchant: Map<String, *>): Map<String, Any?> =
        map("finish_profit_sharing", subMerchant + given("transaction_id" to transactionId, "out_order_no" to outOrderNo, "description" to description))

    /**
     * What of a paid order is still unshared (`pay/profitsharingorderamountquery`), in fen.
     */
    @Throws(WxPayException::class)
    fun profitSharingUnsplitAmount(transactionId: String): Map<String, Any?> =
        map("profit_sharing_unsplit_amount", given("transaction_id" to transactionId))

    /**
     * As [profitSharingUnsplitAmount] for a service provider's sub-merchant (`sub_mch_id`, `sub_appid`).
     */
    @Throws(WxPayException::class)
    fun profitSharingUnsplitAmount(transactionId: String, subMerchant: Map<String, *>): Map<String, Any?> =
        map("profit_sharing_unsplit_amount", subMerchant + given("transaction_id" to transactionId))

    /**
     * Takes money back from a merchant receiver of a sharing (`secapi/pay/profitsharingreturn`, the
     * client certificate): `order_id` or `out_order_no` (the sharing), `out_return_no`,
     * `return_account`, `return_amount` in fen, `description`. `result` is SUCCESS, FAILED or
     * PROCESSING (then ask again with `query_profit_sharing_return`, same `out_return_no`).
     */
    @Throws(WxPayException::class)
    fun profitSharingReturn(request: Map<String, *>): Map<String, Any?> =
        map("profit_sharing_return", request)

    /**
     * How a return went (`pay/profitsharingreturnquery`): `order_id` or `out_order_no`, and
     * `out_return_no`.
     */
    @Throws(WxPayException::class)
    fun queryProfitSharingReturn(request: Map<String, *>): Map<String, Any?> =
        map("query_profit_sharing_return", request)

    /**
     * The share of a sub-merchant's orders a service provider may take
     * (`pay/profitsharingmerchantratioquery`), in ten-thousandths: call it for the sub-merchant, or
     * give a `brand_mch_id`.
     */
    @JvmOverloads
    @Throws(WxPayException::class)
    fun profitSharingMaxRatio(brandMchId: String? = null): Map<String, Any?> =
        map("profit_sharing_max_ratio", given("brand_mch_id" to brandMchId))

    /**
     * As [profitSharingMaxRatio] for a service provider's sub-merchant (`sub_mch_id`, `sub_appid`).
     */
    @Throws(WxPayException::class)
    fun profitSharingMaxRatio(brandMchId: String?, subMerchant: Map<String, *>): Map<String, Any?> =
        map("profit_sharing_max_ratio", subMerchant + given("brand_mch_id" to brandMchId))

    /**
     * Reconciles a day at once: the trade bill as downloaded (`body`: the ALL bill, plain or gzip, or
     * `No Bill Exist`) against the shop's `records` (`out_trade_no` and `total_fee` for a payment;
     * `out_refund_no`, `out_trade_no` and `refund_fee` for a refund; fen). For a large day use
     * `reconcile_start` and stream. No I/O.
     */
    @Throws(WxPayException::class)
    @Suppress("UNCHECKED_CAST")
    fun reconcile(body: ByteArray, records: List<Map<String, *>>): Map<String, Any?> =
        onBody("reconcile", body, given("records" to records)).first as Map<String, Any?>

    /**
     * Opens a reconciliation to feed in many calls, in bounded memory: `memory_mib` (memory for both
     * sides before spilling to disk, default 48), `spill_dir`, `list_limit` (differences listed,
     * default 1,000). Returns its id; end it with `reconcile_finish`. No I/O.
     */
    @Throws(WxPayException::class)
    fun reconcileStart(request: Map<String, *>): String =
        text("reconcile_start", request)

    /**
     * The next bytes of an open reconciliation's bill, in chunks of any size. No I/O.
     */
    @Throws(WxPayException::class)
    fun reconcileBill(body: ByteArray, reconciliation: String) {
        onBody("reconcile_bill", body, given("reconciliation" to reconciliation)).first
    }

    /**
     * Downloads the day's `ALL` trade bill (gzip) straight into an open reconciliation, its bytes
     * never parsed into rows in memory; `No Bill Exist` is an empty day.
     */
    @Throws(WxPayException::class)
    fun reconcileDownloadBill(reconciliation: String, billDate: String) {
        call("reconcile_download_bill", given("reconciliation" to reconciliation, "bill_date" to billDate))
    }

    /**
     * As [reconcileDownloadBill] for a service provider's sub-merchant (`sub_mch_id`, `sub_appid`).
     */
    @Throws(WxPayException::class)
    fun reconcileDownloadBill(reconciliation: String, billDate: String, subMerchant: Map<String, *>) {
        call("reconcile_download_bill", subMerchant + given("reconciliation" to reconciliation, "bill_date" to billDate))
    }

    /**
     * A batch of the shop's records for an open reconciliation (as for `reconcile`); a bad record
     * refuses the whole batch. No I/O.
     */
    @Throws(WxPayException::class)
    fun reconcileShop(reconciliation: String, records: List<Map<String, *>>) {
        call("reconcile_shop", given("reconciliation" to reconciliation, "records" to records))
    }

    /**
     * The next bytes of the shop's records as CSV (a header naming `out_trade_no`, `total_fee`,
     * `transaction_id`, `out_refund_no`, `refund_fee`, `refund_id`; amounts in fen) for an open
     * reconciliation. No I/O.
     */
    @Throws(WxPayException::class)
    fun reconcileShopCsv(body: ByteArray, reconciliation: String) {
        onBody("reconcile_shop_csv", body, given("reconciliation" to reconciliation)).first
    }

    /**
     * Compares an open reconciliation's bill and records and closes it: totals of each side, what
     * matched, each kind of difference counted and the first ones listed. No I/O.
     */
    @Throws(WxPayException::class)
    fun reconcileFinish(reconciliation: String): Map<String, Any?> =
        map("reconcile_finish", given("reconciliation" to reconciliation))

    /**
     * The link of a Native mode-one QR code, printed once for a product (`weixin://wxpay/bizpayurl?…`,
     * signed MD5). No I/O.
     */
    @Throws(WxPayException::class)
    fun nativeQrLink(productId: String): String =
        text("native_qr_link", given("product_id" to productId))

    /**
     * A short `weixin://wxpay/s/…` link for a long `weixin://` link (`tools/shorturl`), for a smaller
     * QR code.
     */
    @Throws(WxPayException::class)
    fun shortUrl(longUrl: String): String =
        text("short_url", given("long_url" to longUrl))

    /**
     * As [shortUrl] for a service provider's sub-merchant (`sub_mch_id`, `sub_appid`).
     */
    @Throws(WxPayException::class)
    fun shortUrl(longUrl: String, subMerchant: Map<String, *>): String =
        text("short_url", subMerchant + given("long_url" to longUrl))

    /**
     * Verifies the scan callback of a Native mode-one QR code (MD5 signature, appid, mch_id): who
     * scanned (`openid`) which `product_id`. Place the order with both, then answer with
     * `native_scan_reply`. No I/O.
     */
    @Throws(WxPayException::class)
    @Suppress("UNCHECKED_CAST")
    fun verifyScanCallback(body: ByteArray): Map<String, Any?> =
        onBody("verify_scan_callback", body, given()).first as Map<String, Any?>

    /**
     * The signed XML answering a scan callback with the order's `prepay_id`. No I/O.
     */
    @Throws(WxPayException::class)
    fun nativeScanReply(prepayId: String): String =
        text("native_scan_reply", given("prepay_id" to prepayId))

    /**
     * The signed XML refusing a scan callback (sold out, closed); WeChat shows `message` to the payer.
     * No I/O.
     */
    @Throws(WxPayException::class)
    fun nativeScanRefusal(message: String): String =
        text("native_scan_refusal", given("message" to message))

    /**
     * Fails with a mismatch unless the verified notification pays exactly `total_fee` fen (the shop's
     * amount) in CNY. No I/O.
     */
    @Throws(WxPayException::class)
    fun checkAmount(notify: Map<String, *>, totalFee: Long) {
        call("check_amount", given("notify" to notify, "total_fee" to totalFee))
    }

    /**
     * Confirms a verified notification with orderquery: the same transaction and order, paid, for the
     * same amount.
     */
    @Throws(WxPayException::class)
    fun confirmPayment(notify: Map<String, *>): Map<String, Any?> =
        map("confirm_payment", given("notify" to notify))

    /**
     * The out_trade_no a payment notification is about once verified, or null (the first half of the
     * notify handler). No I/O.
     */
    @Throws(WxPayException::class)
    fun paymentNotifyOrder(body: ByteArray): String? =
        onBody("payment_notify_order", body, given()).first as String?

    /**
     * Decrypts and verifies a refund notification's raw body. No I/O.
     */
    @Throws(WxPayException::class)
    @Suppress("UNCHECKED_CAST")
    fun parseRefundNotify(body: ByteArray): Map<String, Any?> =
        onBody("parse_refund_notify", body, given()).first as Map<String, Any?>

    /**
     * The refund notify handler in one call: decrypts and checks the raw body and decides the reply:
     * `status` `refunded` (record it once, then reply), `not_refunded` (REFUNDCLOSE or CHANGE) or
     * `refused` (`error` says why; the reply is FAIL). No I/O.
     */
    @Throws(WxPayException::class)
    @Suppress("UNCHECKED_CAST")
    fun handleRefundNotify(body: ByteArray): Map<String, Any?> =
        onBody("handle_refund_notify", body, given()).first as Map<String, Any?>

    /**
     * The OAuth page to send a shopper to (`scope` defaults to `snsapi_base`). No I/O.
     */
    @JvmOverloads
    @Throws(WxPayException::class)
    fun oauthAuthorizeUrl(redirectUri: String, scope: String? = null, state: String? = null): String =
        text("oauth_authorize_url", given("redirect_uri" to redirectUri, "scope" to scope, "state" to state))

    /**
     * A signed, stateless OAuth `state` bound to `context` (e.g. the session id). No I/O.
     */
    @Throws(WxPayException::class)
    fun oauthState(context: String): String =
        text("oauth_state", given("context" to context))

    /**
     * Exchanges the OAuth redirect's `code` for the shopper's openid; never retried once sent.
     */
    @Throws(WxPayException::class)
    fun oauthExchangeCode(code: String): Map<String, Any?> =
        map("oauth_exchange_code", given("code" to code))

    /**
     * A mini-program login: the `code` of `wx.login()` exchanged for the user's openid, unionid and
     * session_key (with the client's appid and app_secret, the mini-program's); never retried once
     * sent. The session_key is a secret: keep it on the server.
     */
    @Throws(WxPayException::class)
    fun jscode2session(code: String): Map<String, Any?> =
        map("jscode2session", given("code" to code))

    /**
     * The official account's access_token, cached (and shared through the token store).
     */
    @Throws(WxPayException::class)
    fun accessToken(): String =
        text("access_token", given())

    /**
     * The JS-SDK `jsapi_ticket`, cached like the access_token.
     */
    @Throws(WxPayException::class)
    fun jsapiTicket(): String =
        text("jsapi_ticket", given())

    /**
     * What this client did since it was made: calls by operation and outcome (`ok` or the error kind)
     * with their latency in ms (p50, p90, p99, max, mean), requests sent to WeChat, retries,
     * failovers, token fetches and token store failures. No I/O.
     */
    @Throws(WxPayException::class)
    fun metrics(): Map<String, Any?> =
        map("metrics", given())

    /**
     * The same counts in Prometheus' text format, labelled with the client's mch_id, for a `/metrics`
     * endpoint. No I/O.
     */
    @Throws(WxPayException::class)
    fun metricsPrometheus(): String =
        text("metrics_prometheus", given())

    /**
     * Whether the token store answers (`store`, `healthy`, and the failing store's `error`): while it
     * fails, each process fetches its own tokens. What the last uses of the store found; no I/O.
     */
    @Throws(WxPayException::class)
    fun tokenStoreHealth(): Map<String, Any?> =
        map("token_store_health", given())

    /**
     * The signed `wx.config` of a page: `url` (without its fragment) and the JS APIs it uses.
     */
    @Throws(WxPayException::class)
    fun jssdkConfig(url: String, jsApiList: List<String>): Map<String, Any?> =
        map("jssdk_config", given("url" to url, "js_api_list" to jsApiList))
    // </generated>

    /** Frees the native client now instead of when collected. */
    override fun close() = native.close()

    override fun toString(): String = "WxPayClient(appid=$appid, mchId=$mchId)"
}
