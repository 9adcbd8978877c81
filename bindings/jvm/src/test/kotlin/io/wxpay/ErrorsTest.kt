package io.wxpay

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** Bad input gets a typed error, changes nothing and never shows a secret. */
class ErrorsTest {
    private val order = mapOf("body" to "b", "out_trade_no" to "jvm-bad-01", "total_fee" to 990,
        "spbill_create_ip" to "127.0.0.1", "openid" to Sim.OPENID, "notify_url" to "http://127.0.0.1:9/n")

    @Test
    fun `bad orders are refused before anything reaches WeChat`() {
        Sim().use { sim ->
            WxPayClient(sim.options()).use { wx ->
                val zero = assertThrows<WxPayException.InvalidInput> { wx.unifiedOrder(order + ("total_fee" to 0)) }
                assertEquals("total_fee", zero.field)
                assertEquals("WXPAY_INVALID_INPUT", zero.code)
                assertFalse(zero.isRetryable)
                assertThrows<WxPayException.InvalidInput> { wx.unifiedOrder(order + ("total_fee" to "9.90")) }
                assertThrows<WxPayException.InvalidInput> { wx.unifiedOrder(order + ("total_fee" to -1)) }
                assertThrows<WxPayException.InvalidInput> { wx.unifiedOrder(order - "out_trade_no") }
                assertThrows<WxPayException.InvalidInput> { wx.unifiedOrder(order + ("no_such_field" to "x")) }
                // A lone surrogate cannot be sent to WeChat as UTF-8: refused, not replaced.
                assertThrows<WxPayException.InvalidInput> { wx.unifiedOrder(order + ("body" to "tea \uD800")) }
                assertThrows<WxPayException.InvalidInput> { wx.call("no_such_operation", null) }
                // What Java cannot express as JSON is the caller's mistake, said at once.
                assertThrows<IllegalArgumentException> { wx.unifiedOrder(order + ("total_fee" to java.util.Date())) }
                assertThrows<IllegalArgumentException> { wx.unifiedOrder(mapOf(1 to "x").mapKeys { it.key.toString() } + mapOf("extra" to mapOf(2 to "y"))) }
                assertEquals(0L, sim.stat("unifiedorder"))
            }
        }
    }

    @Test
    fun `hostile XML is refused before parsing`() {
        val e = assertThrows<WxPayException.Xml> {
            WxPay.fromXml("<!DOCTYPE x [<!ENTITY k SYSTEM \"file:///etc/passwd\">]><xml><a>&k;</a></xml>")
        }
        assertEquals("Doctype", e.reason)
        Sim().use { sim ->
            WxPayClient(sim.options()).use { wx ->
                assertThrows<WxPayException.Xml> { wx.verifyPaymentNotify("<!DOCTYPE x><xml/>".toByteArray()) }
                val d = wx.settlePaymentNotify("<!DOCTYPE x><xml/>".toByteArray(), mapOf("total_fee" to 1))
                assertEquals("refused", d.status)
                assertTrue(d.error is WxPayException.Xml)
                assertEquals(0L, sim.stat("orderquery"))
            }
        }
    }

    @Test
    fun `secrets appear in no error and no toString`() {
        val key = "192006250b4c09247ec02edce69f6a2d"
        val secret = "wxpaysim0app0secret0000000000000"
        val short = assertThrows<WxPayException.Config> {
            WxPayClient(mapOf("appid" to Sim.APPID, "mch_id" to Sim.MCH_ID, "api_key" to key.dropLast(1), "app_secret" to secret))
        }
        assertFalse(short.message!!.contains(key.dropLast(1)), short.message)
        assertFalse(short.toString().contains(secret))
        WxPayClient(mapOf("appid" to Sim.APPID, "mch_id" to Sim.MCH_ID, "api_key" to key, "app_secret" to secret,
            "base_url" to "http://127.0.0.1:9", "retries" to 0)).use { wx ->
            assertFalse(wx.toString().contains(key) || wx.toString().contains(secret), wx.toString())
            val down = assertThrows<WxPayException.Transport> { wx.accessToken() }
            assertTrue(down.isRetryable)
            assertFalse(down.message!!.contains(secret), down.message)
        }
        val wrongKey = assertThrows<WxPayException.Config> { WxPay.sign(mapOf("a" to "b"), "short") }
        assertFalse(wrongKey.message!!.contains("short"), wrongKey.message)
    }

    @Test
    fun `results read back as Java values`() {
        val v = Json.read(Json.write(mapOf("fee" to 1500, "big" to Long.MAX_VALUE, "list" to listOf("a", null, true), "zh" to "书店")))
        assertEquals(mapOf("fee" to 1500L, "big" to Long.MAX_VALUE, "list" to listOf("a", null, true), "zh" to "书店"), v)
        // Escapes as the core's JSON writer (or any other) may use them, around raw UTF-8.
        val escaped = Json.read("""{"e":"caf\u00e9 书\n\"q\" \\ \/ \ud83d\ude00 end","n":-1.5e2,"z":0}""")
        assertEquals(mapOf("e" to "café 书\n\"q\" \\ / \uD83D\uDE00 end", "n" to -150.0, "z" to 0L), escaped)
        assertThrows<IllegalStateException> { Json.read("""{"open":"no end}""") }
        assertThrows<IllegalStateException> { Json.read("""{"a":1} trailing""") }
    }
}
