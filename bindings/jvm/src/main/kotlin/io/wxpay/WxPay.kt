package io.wxpay

import io.wxpay.WxPayException.Companion.native

/**
 * The functions that need no client: signing, XML and the notification
 * answers. Field maps are `Map<String, String>` (or any values the core
 * accepts as text).
 *
 * ```java
 * String sign = WxPay.sign(Map.of("appid", "wxd930ea5d5a258f4f", "mch_id", "10000100",
 *         "device_info", "1000", "body", "test", "nonce_str", "ibuaiVcKdpRxkhJA"),
 *     "192006250b4c09247ec02edce69f6a2d", "MD5");
 * // "9A0A8659F005D6984697E2CA0A9CF3B7", WeChat's own example
 * ```
 */
object WxPay {
    /** The signature of [params] (`sign` left out). [signType]: `MD5` or `HMAC-SHA256`; null for the default. */
    @JvmStatic
    @JvmOverloads
    @Throws(WxPayException::class)
    fun sign(params: Map<String, *>, key: String, signType: String? = null): String =
        native { io.wxpay.ffi.sign(Json.write(params), key, signType) }

    /** Whether [params] carries the right `sign`. */
    @JvmStatic
    @JvmOverloads
    @Throws(WxPayException::class)
    fun verify(params: Map<String, *>, key: String, signType: String? = null): Boolean =
        native { io.wxpay.ffi.verify(Json.write(params), key, signType) }

    /** The `<xml>` body of [params], unsigned. */
    @JvmStatic
    @Throws(WxPayException::class)
    fun toXml(params: Map<String, *>): String = native { io.wxpay.ffi.toXml(Json.write(params)) }

    /** The `<xml>` body of [params] with `sign` added. */
    @JvmStatic
    @JvmOverloads
    @Throws(WxPayException::class)
    fun toSignedXml(params: Map<String, *>, key: String, signType: String? = null): String =
        native { io.wxpay.ffi.toSignedXml(Json.write(params), key, signType) }

    /** The fields of a WeChat `<xml>` message; a DOCTYPE or entity is refused before parsing. */
    @JvmStatic
    @Throws(WxPayException::class)
    fun fromXml(body: ByteArray): Map<String, String> {
        @Suppress("UNCHECKED_CAST")
        return Json.read(native { io.wxpay.ffi.fromXml(body) }) as Map<String, String>
    }

    /** As [fromXml] for text. */
    @JvmStatic
    @Throws(WxPayException::class)
    fun fromXml(body: String): Map<String, String> = fromXml(body.toByteArray(Charsets.UTF_8))

    /** The `wx.config` signature of a page. */
    @JvmStatic
    @Throws(WxPayException::class)
    fun jssdkSignature(jsapiTicket: String, noncestr: String, timestamp: Long, url: String): String =
        native { io.wxpay.ffi.jssdkSignature(jsapiTicket, noncestr, timestamp, url) }

    /** A refund notification's `req_info`, decrypted with the merchant's key. */
    @JvmStatic
    @Throws(WxPayException::class)
    fun decryptReqInfo(reqInfo: String, apiKey: String): Map<String, Any?> = asMap(native { io.wxpay.ffi.decryptReqInfo(reqInfo, apiKey) })

    /** The body that tells WeChat a notification was taken. */
    @JvmStatic
    fun notifyAck(): String = io.wxpay.ffi.notifyAck()

    /** The body that asks WeChat to send a notification again. */
    @JvmStatic
    fun notifyFail(message: String): String = io.wxpay.ffi.notifyFail(message)

    @Suppress("UNCHECKED_CAST")
    internal fun asMap(json: String): Map<String, Any?> = Json.read(json) as Map<String, Any?>
}
