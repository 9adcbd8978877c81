package io.wxpay

/**
 * The JSON that crosses into the native core and back: Java maps, lists,
 * strings, integers and booleans in; `Map<String, Any?>` (in the core's
 * order), `List<Any?>`, `String`, `Long`, `Boolean` and `null` out.
 * Amounts are fen, so whole numbers read as `Long`.
 *
 * ```java
 * Object v = Json.read("{\"total_fee\": 1500}");   // {total_fee=1500L}
 * String s = Json.write(java.util.Map.of("a", "b")); // {"a":"b"}
 * ```
 */
object Json {
    /** `value` as JSON text. A lone surrogate (half of a pair, which no
     * UTF-8 can carry) is written as a `\u` escape, so it reaches the
     * core's reader, which refuses it, instead of being replaced on the way. */
    @JvmStatic
    fun write(value: Any?): String = String(writeUtf8(value), Charsets.UTF_8)

    /** [write] as the UTF-8 bytes the native core reads, made directly. */
    internal fun writeUtf8(value: Any?): ByteArray =
        Utf8Out(if (value is String) value.length * 6 + 2 else 256).also { writeTo(it, value) }.bytes()

    /** The value of JSON text. */
    @JvmStatic
    fun read(text: String): Any? {
        val reader = Reader(text)
        val value = reader.value()
        reader.end()
        return value
    }

    private fun writeTo(out: Utf8Out, value: Any?) {
        when (value) {
            null -> out.ascii("null")
            is String -> out.string(value)
            is Boolean, is Long, is Int, is Short, is Byte, is java.math.BigInteger -> out.ascii(value.toString())
            is Number -> {
                val d = value.toDouble()
                require(!d.isNaN() && !d.isInfinite()) { "wxpay: $d is not a JSON number" }
                out.ascii(value.toString())
            }
            is Map<*, *> -> {
                out.byte('{'.code)
                var first = true
                for ((k, v) in value) {
                    require(k is String) { "wxpay: map keys must be strings" }
                    if (!first) out.byte(','.code)
                    first = false
                    out.string(k)
                    out.byte(':'.code)
                    writeTo(out, v)
                }
                out.byte('}'.code)
            }
            is Iterable<*> -> {
                out.byte('['.code)
                var first = true
                for (v in value) {
                    if (!first) out.byte(','.code)
                    first = false
                    writeTo(out, v)
                }
                out.byte(']'.code)
            }
            is Array<*> -> writeTo(out, value.asList())
            else -> throw IllegalArgumentException(
                "wxpay: a ${value.javaClass.name} cannot be sent; use strings, integers, booleans, maps and lists",
            )
        }
    }

    /** JSON written straight into UTF-8: no String in between to encode again. */
    private class Utf8Out(capacity: Int) {
        private var buf = ByteArray(capacity)
        private var len = 0

        private fun room(n: Int) {
            if (len + n > buf.size) buf = buf.copyOf(maxOf(buf.size * 2, len + n))
        }

        fun byte(b: Int) {
            room(1)
            buf[len++] = b.toByte()
        }

        /** Text known to be ASCII: literals and numbers. */
        fun ascii(s: String) {
            room(s.length)
            for (c in s) buf[len++] = c.code.toByte()
        }

        fun string(s: String) {
            // At most 6 bytes a UTF-16 unit (a \u escape), and the quotes.
            room(s.length * 6 + 2)
            buf[len++] = '"'.code.toByte()
            var i = 0
            while (i < s.length) {
                val c = s[i].code
                when {
                    c == '"'.code || c == '\\'.code -> {
                        buf[len++] = '\\'.code.toByte()
                        buf[len++] = c.toByte()
                    }
                    c < 0x20 -> escape(c)
                    c < 0x80 -> buf[len++] = c.toByte()
                    c < 0x800 -> {
                        buf[len++] = (0xc0 or (c shr 6)).toByte()
                        buf[len++] = (0x80 or (c and 0x3f)).toByte()
                    }
                    Character.isHighSurrogate(s[i]) && i + 1 < s.length && Character.isLowSurrogate(s[i + 1]) -> {
                        val p = Character.toCodePoint(s[i], s[i + 1])
                        buf[len++] = (0xf0 or (p shr 18)).toByte()
                        buf[len++] = (0x80 or ((p shr 12) and 0x3f)).toByte()
                        buf[len++] = (0x80 or ((p shr 6) and 0x3f)).toByte()
                        buf[len++] = (0x80 or (p and 0x3f)).toByte()
                        i++
                    }
                    // Half of a pair alone: no UTF-8 can carry it, so it goes
                    // as an escape the core's reader refuses.
                    Character.isSurrogate(s[i]) -> escape(c)
                    else -> {
                        buf[len++] = (0xe0 or (c shr 12)).toByte()
                        buf[len++] = (0x80 or ((c shr 6) and 0x3f)).toByte()
                        buf[len++] = (0x80 or (c and 0x3f)).toByte()
                    }
                }
                i++
            }
            buf[len++] = '"'.code.toByte()
        }

        private fun escape(c: Int) {
            buf[len++] = '\\'.code.toByte()
            buf[len++] = 'u'.code.toByte()
            for (shift in 12 downTo 0 step 4) buf[len++] = HEX[(c shr shift) and 0xf].code.toByte()
        }

        fun bytes(): ByteArray = buf.copyOf(len)
    }

    private const val HEX = "0123456789abcdef"

    private class Reader(val s: String) {
        var i = 0

        fun fail(what: String): Nothing = throw IllegalStateException("wxpay: unreadable JSON from the core ($what at $i)")

        fun skip() {
            while (i < s.length && s[i].isWhitespace()) i++
        }

        fun end() {
            skip()
            if (i != s.length) fail("trailing text")
        }

        fun value(): Any? {
            skip()
            if (i >= s.length) fail("end of text")
            return when (s[i]) {
                '{' -> obj()
                '[' -> list()
                '"' -> string()
                't' -> word("true", true)
                'f' -> word("false", false)
                'n' -> word("null", null)
                else -> number()
            }
        }

        fun word(w: String, v: Any?): Any? {
            if (!s.startsWith(w, i)) fail("unknown word")
            i += w.length
            return v
        }

        fun obj(): Map<String, Any?> {
            val m = LinkedHashMap<String, Any?>()
            i++
            skip()
            if (s.getOrNull(i) == '}') { i++; return m }
            while (true) {
                skip()
                val k = string()
                skip()
                if (s.getOrNull(i) != ':') fail("no colon")
                i++
                m[k] = value()
                skip()
                when (s.getOrNull(i)) {
                    ',' -> i++
                    '}' -> { i++; return m }
                    else -> fail("no comma")
                }
            }
        }

        fun list(): List<Any?> {
            val l = ArrayList<Any?>()
            i++
            skip()
            if (s.getOrNull(i) == ']') { i++; return l }
            while (true) {
                l.add(value())
                skip()
                when (s.getOrNull(i)) {
                    ',' -> i++
                    ']' -> { i++; return l }
                    else -> fail("no comma")
                }
            }
        }

        fun string(): String {
            if (s.getOrNull(i) != '"') fail("no string")
            i++
            // Most strings have no escape: taken whole.
            var end = i
            while (end < s.length && s[end] != '"' && s[end] != '\\') end++
            if (end < s.length && s[end] == '"') return s.substring(i, end).also { i = end + 1 }
            val b = StringBuilder().append(s, i, end)
            i = end
            while (true) {
                if (i >= s.length) fail("open string")
                val c = s[i++]
                when (c) {
                    '"' -> return b.toString()
                    '\\' -> {
                        val e = s.getOrNull(i++) ?: fail("open escape")
                        when (e) {
                            'n' -> b.append('\n')
                            't' -> b.append('\t')
                            'r' -> b.append('\r')
                            'b' -> b.append('\b')
                            'f' -> b.append('\u000c')
                            'u' -> {
                                if (i + 4 > s.length) fail("short escape")
                                b.append(s.substring(i, i + 4).toInt(16).toChar())
                                i += 4
                            }
                            else -> b.append(e)
                        }
                    }
                    else -> b.append(c)
                }
            }
        }

        fun number(): Any {
            val start = i
            while (i < s.length && (s[i].isDigit() || s[i] in "+-.eE")) i++
            val t = s.substring(start, i)
            if (t.isEmpty()) fail("unexpected character")
            return t.toLongOrNull() ?: t.toBigIntegerOrNull() ?: t.toDoubleOrNull() ?: fail("bad number")
        }
    }
}
