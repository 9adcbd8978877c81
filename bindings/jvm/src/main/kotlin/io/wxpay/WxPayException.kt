package io.wxpay

import io.wxpay.ffi.ErrorInfo
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
sealed class WxPayException(private val info: ErrorInfo) : Exception(info.detail) {
    /** `Config`, `InvalidInput`, `Xml`, `Signature`, `Mismatch`, `Protocol`, `Business`, `MpApi`, `Transport`, `Cache` or `Internal`. */
    val kind: String get() = info.kind
    /** The stable code, e.g. `WXPAY_SIGNATURE`. */
    val code: String get() = info.code
    /** Whether the same call may succeed if made again. */
    val isRetryable: Boolean get() = info.retryable
    /** Why an input or a message was refused (`Doctype`, `TooLong`, …). */
    val reason: String? get() = info.reason
    /** The field at fault. */
    val field: String? get() = info.field
    /** `Business`: WeChat's err_code. */
    val errCode: String? get() = info.errCode
    /** `Business`: WeChat's err_code_des. */
    val errCodeDes: String? get() = info.errCodeDes
    /** `Protocol`: WeChat's return_msg. */
    val returnMsg: String? get() = info.returnMsg
    /** `MpApi`: the platform's errcode. */
    val errcode: Long? get() = info.errcode
    /** `MpApi`: the platform's errmsg. */
    val errmsg: String? get() = info.errmsg
    /** `Mismatch`: what was asked for. */
    val expected: String? get() = info.expected
    /** `Mismatch`: what came back. */
    val actual: String? get() = info.actual

    override fun toString(): String = "WxPayException.$kind($code): $message"

    /** Bad or missing configuration. */
    class Config internal constructor(info: ErrorInfo) : WxPayException(info)
    /** An argument breaks a documented rule. */
    class InvalidInput internal constructor(info: ErrorInfo) : WxPayException(info)
    /** Malformed or forbidden XML (a DOCTYPE, too big, nested, …). */
    class Xml internal constructor(info: ErrorInfo) : WxPayException(info)
    /** A missing or wrong signature. Deserves an alert. */
    class Signature internal constructor(info: ErrorInfo) : WxPayException(info)
    /** An appid, mch_id, amount or order that differs from what was asked. Deserves an alert. */
    class Mismatch internal constructor(info: ErrorInfo) : WxPayException(info)
    /** `return_code=FAIL`, or a reply that breaks the protocol. */
    class Protocol internal constructor(info: ErrorInfo) : WxPayException(info)
    /** `result_code=FAIL`: see [errCode]. */
    class Business internal constructor(info: ErrorInfo) : WxPayException(info)
    /** `errcode != 0` from the official-account platform. */
    class MpApi internal constructor(info: ErrorInfo) : WxPayException(info)
    /** Connect, timeout, TLS or HTTP failure. */
    class Transport internal constructor(info: ErrorInfo) : WxPayException(info)
    /** The token store failed. */
    class Cache internal constructor(info: ErrorInfo) : WxPayException(info)
    /** A bug in wxpay itself. */
    class Internal internal constructor(info: ErrorInfo) : WxPayException(info)

    internal companion object {
        fun of(info: ErrorInfo): WxPayException = when (info.kind) {
            "Config" -> Config(info)
            "InvalidInput" -> InvalidInput(info)
            "Xml" -> Xml(info)
            "Signature" -> Signature(info)
            "Mismatch" -> Mismatch(info)
            "Protocol" -> Protocol(info)
            "Business" -> Business(info)
            "MpApi" -> MpApi(info)
            "Transport" -> Transport(info)
            "Cache" -> Cache(info)
            else -> Internal(info)
        }

        /** Runs a native call, its failure rethrown as a [WxPayException]. */
        inline fun <T> native(call: () -> T): T = try {
            call()
        } catch (e: NativeException.Failed) {
            throw of(e.info)
        } catch (e: io.wxpay.ffi.InternalException) {
            throw Internal(ErrorInfo("Internal", "WXPAY_INTERNAL", e.message ?: "internal error", false,
                null, null, null, null, null, null, null, null, null))
        }
    }
}
