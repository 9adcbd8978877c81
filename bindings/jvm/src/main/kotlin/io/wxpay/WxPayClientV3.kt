package io.wxpay

import io.wxpay.WxPayException.Companion.native
import io.wxpay.ffi.NativeClientV3
import java.util.function.Function

/**
 * WeChat Pay API v3 for one merchant (README, "API v3"). Safe to share
 * between threads; close it when done. Every method is the core's v3
 * operation of the same name; requests and results are maps in WeChat's
 * field names, amounts are fen.
 *
 * ```java
 * try (WxPayClientV3 wx = new WxPayClientV3(Map.of("mchid", "1900009191", "appid", "wx…",
 *         "merchant_serial", "…", "apiv3_key", apiv3Key, "private_key_path", "apiclient_key.pem",
 *         "public_key_id", "PUB_KEY_ID_…", "public_key_path", "pub_key.pem"))) {
 *     Map<String, Object> order = wx.prepay(Map.of("kind", "jsapi", "description", "Tea",
 *         "out_trade_no", "order-0001", "total", 1500, "openid", openid));
 *     Map<String, Object> params = wx.jsapiParams((String) order.get("prepay_id"));
 * }
 * ```
 */
class WxPayClientV3 @Throws(WxPayException::class) constructor(options: Map<String, *>) : AutoCloseable {
    private val native: NativeClientV3 = run {
        Lane.ready()
        native { NativeClientV3(Json.write(options)) }
    }

    /** The merchant number. */
    val mchid: String get() = native.mchid()

    /** The appid orders are for. */
    val appid: String get() = native.appid()

    override fun toString(): String = "WxPayClientV3(mchid=$mchid, appid=$appid)"

    /** Any v3 operation by name, with a map of named arguments, a list of positional ones or one value. */
    @Throws(WxPayException::class)
    fun call(op: String, args: Any?): Any? = Json.read(native { native.call(op, Json.write(args ?: emptyMap<String, Any>())) })

    @Suppress("UNCHECKED_CAST")
    private fun map(op: String, args: Any?): Map<String, Any?> = call(op, args) as Map<String, Any?>

    /** Places an order: kind, description, out_trade_no, total (fen), openid, … */
    @Throws(WxPayException::class)
    fun prepay(order: Map<String, *>): Map<String, Any?> = map("prepay", order)

    /** The getBrandWCPayRequest / wx.requestPayment params (signType RSA). */
    @JvmOverloads
    @Throws(WxPayException::class)
    fun jsapiParams(prepayId: String, appid: String? = null): Map<String, Any?> =
        map("jsapi_params", if (appid == null) listOf(prepayId) else listOf(prepayId, appid))

    /** The App SDK's PayReq params. */
    @Throws(WxPayException::class)
    fun appParams(prepayId: String): Map<String, Any?> = map("app_params", listOf(prepayId))

    /** An order by out_trade_no or transaction_id, checked whole (total: the shop's amount). */
    @Throws(WxPayException::class)
    fun queryOrder(query: Map<String, *>): Map<String, Any?> = map("query_order", query)

    /** Closes an unpaid order. */
    @JvmOverloads
    @Throws(WxPayException::class)
    fun closeOrder(outTradeNo: String, subMchid: String? = null) {
        call("close_order", if (subMchid == null) listOf(outTradeNo) else listOf(outTradeNo, subMchid))
    }

    /** Asks for a refund: out_refund_no, refund, total (fen) and the order. */
    @Throws(WxPayException::class)
    fun refund(refund: Map<String, *>): Map<String, Any?> = map("refund", refund)

    /** A refund, checked against the one asked for. */
    @Throws(WxPayException::class)
    fun queryRefund(refund: Map<String, *>): Map<String, Any?> = map("query_refund", refund)

    /** A day's trade bill (yyyy-MM-dd), checked against WeChat's SHA-1. */
    @JvmOverloads
    @Throws(WxPayException::class)
    fun downloadTradeBill(billDate: String, billType: String = "ALL"): Map<String, Any?> =
        map("download_trade_bill", listOf(billDate, billType))

    /** A day's fund flow, checked against WeChat's SHA-1. */
    @JvmOverloads
    @Throws(WxPayException::class)
    fun downloadFundFlowBill(billDate: String, accountType: String = "BASIC"): Map<String, Any?> =
        map("download_fund_flow_bill", listOf(billDate, accountType))

    /** A sensitive field encrypted for WeChat: serial and ciphertext. */
    @Throws(WxPayException::class)
    fun encryptSensitive(text: String): Map<String, Any?> = map("encrypt_sensitive", listOf(text))

    /** The headers as [name, value] pairs: a Map (Spring's HttpHeaders is one) of a value or a list of values. */
    private fun pairs(headers: Map<String, *>): List<List<String>> = headers.flatMap { (name, value) ->
        when (value) {
            is Collection<*> -> value.map { listOf(name, it.toString()) }
            null -> emptyList()
            else -> listOf(listOf(name, value.toString()))
        }
    }

    private fun notification(op: String, headers: Map<String, *>, body: ByteArray, more: Map<String, Any?> = emptyMap()): Any? =
        Json.read(native { native.callBody(op, body, Json.write(mapOf("headers" to pairs(headers)) + more)) })

    /**
     * A notification verified over its raw body with its headers, then decrypted. [now] (Unix
     * seconds) replaces the clock only to replay a recorded notification in a test.
     */
    @Suppress("UNCHECKED_CAST")
    @Throws(WxPayException::class)
    @JvmOverloads
    fun parseNotification(headers: Map<String, *>, body: ByteArray, now: Long? = null): Map<String, Any?> =
        notification("parse_notification", headers, body, if (now == null) emptyMap() else mapOf("now" to now))
            as Map<String, Any?>

    /**
     * The whole v3 payment notify handler: [findOrder] gives the shop's record of the order
     * (`total_fee`, `transaction_id`, `sub_mch_id`) or null. Answer WeChat with the result's
     * `http_status` and `body`.
     */
    @Suppress("UNCHECKED_CAST")
    @Throws(WxPayException::class)
    fun handlePaymentNotify(headers: Map<String, *>, body: ByteArray, findOrder: Function<String, Map<String, *>?>): Map<String, Any?> {
        val asks = notification("payment_notify_order", headers, body) as String?
        val order = asks?.let { findOrder.apply(it) }
        return notification("settle_payment_notify", headers, body, mapOf("order" to order)) as Map<String, Any?>
    }

    /** The refund notify handler; answer with the result's http_status and body. */
    @Suppress("UNCHECKED_CAST")
    @Throws(WxPayException::class)
    fun handleRefundNotify(headers: Map<String, *>, body: ByteArray): Map<String, Any?> =
        notification("handle_refund_notify", headers, body) as Map<String, Any?>

    override fun close() {
        native.close()
    }
}
