package io.wxpay

import io.wxpay.ffi.NativeException

/**
 * Every failure wxpay reports, one subclass per kind, with the same kind,
 * code and `retryable` as in the other languages. The text (`getMessage()`)
 * names fields, never secrets.
 *
 * ```java
 * try {
 *     client.refund(Map.of("out_trade_no", no, "out_refund_no", "r1", "total_fee", 1500, "refund_fee", 1500));
 * } catch (WxPayException.Business e) {
 *     log.warn("refused: {} {}", e.getErrCode(), e.getErrCodeDes());
 * } catch (WxPayException e) {
 *     if (e.isRetryable()) retryLater(); else throw e;
 * }
 * ```
 */
sealed class WxPayException(
    /** The core's description of the failure (`Error::details`), read below. */
    private val details: Map<String, Any?>,
) : Exception(details["message"] as String) {
    /** `Config`, `InvalidInput`, `Xml`, `Signature`, `Mismatch`, `Protocol`, `Business`, `MpApi`, `Transport`, `Cache` or `Internal`. */
    val kind: String get() = details["kind"] as String
    /** The stable code, e.g. `WXPAY_SIGNATURE`. */
    val code: String get() = details["code"] as String
    /** Whether the same call may succeed if made again. */
    val isRetryable: Boolean get() = details["retryable"] as Boolean
    /** Why an input or a message was refused (`Doctype`, `TooLong`, …). */
    val reason: String? get() = details["reason"] as String?
    /** The field at fault. */
    val field: String? get() = details["field"] as String?
    /** `Business`: WeChat's err_code. */
    val errCode: String? get() = details["err_code"] as String?
    /** `Business`: WeChat's err_code_des. */
    val errCodeDes: String? get() = details["err_code_des"] as String?
    /** `Protocol`: WeChat's return_msg. */
    val returnMsg: String? get() = details["return_msg"] as String?
    /** `MpApi`: the platform's errcode. */
    val errcode: Long? get() = details["errcode"] as Long?
    /** `MpApi`: the platform's errmsg. */
    val errmsg: String? get() = details["errmsg"] as String?
    /** `Mismatch`: what was asked for. */
    val expected: String? get() = details["expected"] as String?
    /** `Mismatch`: what came back. */
    val actual: String? get() = details["actual"] as String?

    override fun toString(): String = "WxPayException.$kind($code): $message"

    /** Bad or missing configuration. */
    class Config internal constructor(details: Map<String, Any?>) : WxPayException(details)
    /** An argument breaks a documented rule. */
    class InvalidInput internal constructor(details: Map<String, Any?>) : WxPayException(details)
    /** Malformed or forbidden XML (a DOCTYPE, too big, nested, …). */
    class Xml internal constructor(details: Map<String, Any?>) : WxPayException(details)
    /** A missing or wrong signature. Deserves an alert. */
    class Signature internal constructor(details: Map<String, Any?>) : WxPayException(details)
    /** An appid, mch_id, amount or order that differs from what was asked. Deserves an alert. */
    class Mismatch internal constructor(details: Map<String, Any?>) : WxPayException(details)
    /** `return_code=FAIL`, or a reply that breaks the protocol. */
    class Protocol internal constructor(details: Map<String, Any?>) : WxPayException(details)
    /** `result_code=FAIL`: see [errCode]. */
    class Business internal constructor(details: Map<String, Any?>) : WxPayException(details)
    /** `errcode != 0` from the official-account platform. */
    class MpApi internal constructor(details: Map<String, Any?>) : WxPayException(details)
    /** Connect, timeout, TLS or HTTP failure. */
    class Transport internal constructor(details: Map<String, Any?>) : WxPayException(details)
    /** The token store failed. */
    class Cache internal constructor(details: Map<String, Any?>) : WxPayException(details)
    /** A bug in wxpay itself. */
    class Internal internal constructor(details: Map<String, Any?>) : WxPayException(details)

    internal companion object {
        /** The exception for the core's error details (a JSON object). */
        fun of(detailsJson: String): WxPayException {
            @Suppress("UNCHECKED_CAST")
            return of(Json.read(detailsJson) as Map<String, Any?>)
        }

        fun of(details: Map<String, Any?>): WxPayException = when (details["kind"]) {
            "Config" -> Config(details)
            "InvalidInput" -> InvalidInput(details)
            "Xml" -> Xml(details)
            "Signature" -> Signature(details)
            "Mismatch" -> Mismatch(details)
            "Protocol" -> Protocol(details)
            "Business" -> Business(details)
            "MpApi" -> MpApi(details)
            "Transport" -> Transport(details)
            "Cache" -> Cache(details)
            else -> Internal(details)
        }

        /** Runs a uniffi call, its failure rethrown as a [WxPayException]. */
        inline fun <T> native(call: () -> T): T = try {
            call()
        } catch (e: NativeException.Failed) {
            throw of(e.info.details)
        } catch (e: io.wxpay.ffi.InternalException) {
            // A panic uniffi caught: no core error exists for it.
            throw Internal(mapOf("kind" to "Internal", "code" to "WXPAY_INTERNAL",
                "message" to (e.message ?: "internal error"), "retryable" to false))
        }
    }
}
