package io.wxpay

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
        Lane.text(Lane.sign(Lane.jsonArg(params), Lane.textArg(key), Lane.optionalTextArg(signType)))

    /** Whether [params] carries the right `sign`. */
    @JvmStatic
    @JvmOverloads
    @Throws(WxPayException::class)
    fun verify(params: Map<String, *>, key: String, signType: String? = null): Boolean =
        Lane.json(Lane.verify(Lane.jsonArg(params), Lane.textArg(key), Lane.optionalTextArg(signType))) as Boolean

    /** The `<xml>` body of [params], unsigned. */
    @JvmStatic
    @Throws(WxPayException::class)
    fun toXml(params: Map<String, *>): String = Lane.text(Lane.toXml(Lane.jsonArg(params)))

    /** The `<xml>` body of [params] with `sign` added. */
    @JvmStatic
    @JvmOverloads
    @Throws(WxPayException::class)
    fun toSignedXml(params: Map<String, *>, key: String, signType: String? = null): String =
        Lane.text(Lane.toSignedXml(Lane.jsonArg(params), Lane.textArg(key), Lane.optionalTextArg(signType)))

    /** The fields of a WeChat `<xml>` message; a DOCTYPE or entity is refused before parsing. */
    @JvmStatic
    @Throws(WxPayException::class)
    fun fromXml(body: ByteArray): Map<String, String> {
        @Suppress("UNCHECKED_CAST")
        return Lane.json(Lane.fromXml(body)) as Map<String, String>
    }

    /** As [fromXml] for text. */
    @JvmStatic
    @Throws(WxPayException::class)
    fun fromXml(body: String): Map<String, String> = fromXml(body.toByteArray(Charsets.UTF_8))

    /** The `wx.config` signature of a page. */
    @JvmStatic
    @Throws(WxPayException::class)
    fun jssdkSignature(jsapiTicket: String, noncestr: String, timestamp: Long, url: String): String =
        Lane.text(Lane.jssdkSignature(Lane.textArg(jsapiTicket), Lane.textArg(noncestr), timestamp, Lane.textArg(url)))

    /** A refund notification's `req_info`, decrypted with the merchant's key. */
    @JvmStatic
    @Throws(WxPayException::class)
    @Suppress("UNCHECKED_CAST")
    fun decryptReqInfo(reqInfo: String, apiKey: String): Map<String, Any?> =
        Lane.json(Lane.decryptReqInfo(Lane.textArg(reqInfo), Lane.textArg(apiKey))) as Map<String, Any?>

    /** The body that tells WeChat a notification was taken. */
    @JvmStatic
    fun notifyAck(): String = ACK

    /** The body that asks WeChat to send a notification again. */
    @JvmStatic
    fun notifyFail(message: String): String = Lane.text(Lane.notifyFail(Lane.textArg(message)))

    /** The acknowledgement never changes: asked of the core once. */
    private val ACK: String = run {
        Lane.ready()
        io.wxpay.ffi.notifyAck()
    }
}
