package io.wxpay

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * The byte lane the public API calls, against uniffi's generated path
 * (`io.wxpay.ffi`) over the same library: they must agree on every shared
 * vector, find the same clients, and refuse the same text.
 */
class LaneTest {
    @Test
    fun `the lane and uniffi sign every vector alike`() {
        val cases = Vectors.cases("sign.json")
        assertTrue(cases.size >= 5)
        for (c in cases) {
            @Suppress("UNCHECKED_CAST")
            val params = c["params"] as Map<String, Any?>
            val key = c["key"] as String
            val type = c["sign_type"] as String?
            val generated = runCatching { io.wxpay.ffi.sign(Json.write(params), key, type) }
            val lane = runCatching { WxPay.sign(params, key, type) }
            assertEquals(generated.getOrNull(), lane.getOrNull(), c["name"] as String)
            if (generated.isFailure) {
                val info = (generated.exceptionOrNull() as io.wxpay.ffi.NativeException.Failed).info
                val e = lane.exceptionOrNull() as WxPayException
                val d = WxPayException.of(info.details)
                assertEquals(listOf(d.kind, d.code, d.message, d.field, d.reason, d.javaClass),
                    listOf(e.kind, e.code, e.message, e.field, e.reason, e.javaClass), c["name"] as String)
            }
        }
    }

    @Test
    fun `the lane and uniffi read the same XML`() {
        for (c in Vectors.cases("xml.json")) {
            val body = Vectors.bytes(c, "input")
            val generated = runCatching { Json.read(io.wxpay.ffi.fromXml(body)) }
            val lane = runCatching { WxPay.fromXml(body) }
            assertEquals(generated.getOrNull(), lane.getOrNull(), c["name"] as String)
            assertEquals(generated.isFailure, lane.isFailure, c["name"] as String)
        }
    }

    @Test
    fun `the lane and uniffi's client verify every notification alike`() {
        for (c in Vectors.cases("notify.json")) {
            val name = c["name"] as String
            val options = Json.write(c["merchant"])
            val body = Vectors.bytes(c, "body")
            val generated = runCatching {
                io.wxpay.ffi.NativeClient(options, null).use { Json.read(it.callBody("verify_payment_notify", body, "[]").json) }
            }
            @Suppress("UNCHECKED_CAST")
            WxPayClient(c["merchant"] as Map<String, Any?>).use { wx ->
                val lane = runCatching { wx.verifyPaymentNotify(body) }
                assertEquals(generated.getOrNull(), lane.getOrNull(), name)
                assertEquals(generated.isSuccess, lane.isSuccess, name)
                generated.exceptionOrNull()?.let {
                    val info = (it as io.wxpay.ffi.NativeException.Failed).info
                    assertEquals(WxPayException.of(info.details).code, (lane.exceptionOrNull() as WxPayException).code, name)
                }
                val url = "https://shop.example/cb"
                assertEquals(io.wxpay.ffi.NativeClient(options, null).use { it.call("oauth_authorize_url", Json.write(listOf(url, "snsapi_base", "s1"))) },
                    Json.write(wx.oauthAuthorizeUrl(url, "snsapi_base", "s1")), name)
            }
        }
    }

    @Test
    fun `a client is reached through the lane until it is closed`() {
        Sim().use { sim ->
            val wx = WxPayClient(sim.options())
            val params = wx.jsapiParams("wx201410272009395522657a690389285100")
            assertEquals(Sim.APPID, params["appId"])
            wx.close()
            val closed = assertThrows<WxPayException.InvalidInput> { wx.jsapiParams("wx201410272009395522657a690389285100") }
            assertEquals("client", closed.field)
            // Another client is untouched by the first one's closing.
            WxPayClient(sim.options()).use { other -> assertEquals(Sim.APPID, other.jsapiParams("wx1")["appId"]) }
        }
    }

    @Test
    fun `text of every width reaches the core exactly`() {
        val fields = mapOf("ascii" to "tea 1500", "two" to "café", "three" to "书店-实战", "four" to "\uD83D\uDE00 ok",
            "quote" to "say \"hi\" \\ back", "tab" to "a\tb", "mixed" to "é书\uD83D\uDE00x")
        // The core writes the XML from the bytes it got and reads it back.
        assertEquals(fields, WxPay.fromXml(WxPay.toXml(fields)))
        assertEquals(fields, Json.read(Json.write(fields)))
        assertEquals(Json.write(fields).toByteArray(Charsets.UTF_8).toList(), Json.writeUtf8(fields).toList())
    }

    @Test
    fun `a lone surrogate in any text argument is refused, not replaced`() {
        val key = "192006250b4c09247ec02edce69f6a2d"
        val lone = "\uDC00"
        assertEquals("key", assertThrows<WxPayException> { WxPay.sign(mapOf("a" to "b"), key.dropLast(1) + lone) }.field)
        assertThrows<WxPayException.InvalidInput> { WxPay.sign(mapOf("a" to "b$lone"), key) }
        assertThrows<WxPayException.InvalidInput> { WxPay.jssdkSignature("t", "n", 1, "https://shop.example/$lone") }
        assertThrows<WxPayException.InvalidInput> { WxPay.notifyFail("retry $lone") }
        // A whole pair is ordinary text.
        assertEquals(WxPay.sign(mapOf("a" to "\uD83D\uDE00"), key), io.wxpay.ffi.sign("{\"a\":\"\uD83D\uDE00\"}", key, null))
    }
}
