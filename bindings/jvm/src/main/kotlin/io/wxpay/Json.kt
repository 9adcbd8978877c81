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
    fun read(text: String): Any? = readUtf8(text.toByteArray(Charsets.UTF_8), 0)

    /** The value of the JSON in [bytes] from [start]: read straight from
     * the UTF-8 the core wrote, so ASCII text becomes compact strings
     * without passing through one large UTF-16 string. */
    internal fun readUtf8(bytes: ByteArray, start: Int): Any? {
        val reader = Reader(bytes, start)
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
                // JSON has no NaN or infinity: they cross as the library's
                // spelling, for it to refuse by name like any value out of range.
                when {
                    d.isNaN() -> out.string("NaN")
                    d.isInfinite() -> out.string(if (d > 0) "Infinity" else "-Infinity")
                    else -> out.ascii(value.toString())
                }
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

    private class Reader(val b: ByteArray, var i: Int) {
        fun fail(what: String): Nothing = throw IllegalStateException("wxpay: unreadable JSON from the core ($what at $i)")

        fun at(): Int = if (i < b.size) b[i].toInt() and 0xff else -1

        fun skip() {
            // JSON's four whitespace characters only.
            while (true) {
                when (at()) {
                    0x20, 0x0a, 0x0d, 0x09 -> i++
                    else -> return
                }
            }
        }

        fun end() {
            skip()
            if (i != b.size) fail("trailing text")
        }

        fun value(): Any? {
            skip()
            return when (at()) {
                -1 -> fail("end of text")
                '{'.code -> obj()
                '['.code -> list()
                '"'.code -> string()
                't'.code -> word("true", true)
                'f'.code -> word("false", false)
                'n'.code -> word("null", null)
                else -> number()
            }
        }

        fun word(w: String, v: Any?): Any? {
            for (k in w.indices) if (i + k >= b.size || b[i + k].toInt() != w[k].code) fail("unknown word")
            i += w.length
            return v
        }

        fun obj(): Map<String, Any?> {
            val m = LinkedHashMap<String, Any?>()
            i++
            skip()
            if (at() == '}'.code) { i++; return m }
            while (true) {
                skip()
                val k = string()
                skip()
                if (at() != ':'.code) fail("no colon")
                i++
                m[k] = value()
                skip()
                when (at()) {
                    ','.code -> i++
                    '}'.code -> { i++; return m }
                    else -> fail("no comma")
                }
            }
        }

        fun list(): List<Any?> {
            val l = ArrayList<Any?>()
            i++
            skip()
            if (at() == ']'.code) { i++; return l }
            while (true) {
                l.add(value())
                skip()
                when (at()) {
                    ','.code -> i++
                    ']'.code -> { i++; return l }
                    else -> fail("no comma")
                }
            }
        }

        fun string(): String {
            if (at() != '"'.code) fail("no string")
            i++
            // Most strings have no escape: taken whole, as Latin-1 when ASCII
            // (a plain copy), else decoded as UTF-8.
            var end = i
            var ascii = true
            while (end < b.size) {
                val c = b[end].toInt()
                if (c == '"'.code || c == '\\'.code) break
                if (c < 0) ascii = false
                end++
            }
            if (end >= b.size) fail("open string")
            if (b[end].toInt() == '"'.code) {
                val text = String(b, i, end - i, if (ascii) Charsets.ISO_8859_1 else Charsets.UTF_8)
                i = end + 1
                return text
            }
            val out = StringBuilder().append(String(b, i, end - i, Charsets.UTF_8))
            i = end
            while (true) {
                when (at()) {
                    -1 -> fail("open string")
                    '"'.code -> { i++; return out.toString() }
                    '\\'.code -> {
                        i++
                        when (at()) {
                            'n'.code -> out.append('\n')
                            't'.code -> out.append('\t')
                            'r'.code -> out.append('\r')
                            'b'.code -> out.append('\b')
                            'f'.code -> out.append('\u000c')
                            'u'.code -> {
                                if (i + 5 > b.size) fail("short escape")
                                out.append(String(b, i + 1, 4, Charsets.ISO_8859_1).toInt(16).toChar())
                                i += 4
                            }
                            -1 -> fail("open escape")
                            else -> out.append(at().toChar())
                        }
                        i++
                    }
                    else -> {
                        // A run up to the next quote or escape, decoded whole.
                        var run = i
                        while (run < b.size && b[run].toInt() != '"'.code && b[run].toInt() != '\\'.code) run++
                        out.append(String(b, i, run - i, Charsets.UTF_8))
                        i = run
                    }
                }
            }
        }

        fun number(): Any {
            val start = i
            while (true) {
                when (at()) {
                    in '0'.code..'9'.code, '+'.code, '-'.code, '.'.code, 'e'.code, 'E'.code -> i++
                    else -> break
                }
            }
            val t = String(b, start, i - start, Charsets.ISO_8859_1)
            if (t.isEmpty()) fail("unexpected character")
            return t.toLongOrNull() ?: t.toBigIntegerOrNull() ?: t.toDoubleOrNull() ?: fail("bad number")
        }
    }
}
