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
    fun write(value: Any?): String = StringBuilder(256).also { writeTo(it, value) }.toString()

    /** The value of JSON text. */
    @JvmStatic
    fun read(text: String): Any? {
        val reader = Reader(text)
        val value = reader.value()
        reader.end()
        return value
    }

    private fun writeTo(out: StringBuilder, value: Any?) {
        when (value) {
            null -> out.append("null")
            is String -> writeString(out, value)
            is Boolean -> out.append(value)
            is Long, is Int, is Short, is Byte -> out.append(value)
            is java.math.BigInteger -> out.append(value)
            is Number -> {
                val d = value.toDouble()
                require(!d.isNaN() && !d.isInfinite()) { "wxpay: $d is not a JSON number" }
                out.append(value)
            }
            is Map<*, *> -> {
                out.append('{')
                var first = true
                for ((k, v) in value) {
                    require(k is String) { "wxpay: map keys must be strings" }
                    if (!first) out.append(',')
                    first = false
                    writeString(out, k)
                    out.append(':')
                    writeTo(out, v)
                }
                out.append('}')
            }
            is Iterable<*> -> {
                out.append('[')
                var first = true
                for (v in value) {
                    if (!first) out.append(',')
                    first = false
                    writeTo(out, v)
                }
                out.append(']')
            }
            is Array<*> -> writeTo(out, value.asList())
            else -> throw IllegalArgumentException(
                "wxpay: a ${value.javaClass.name} cannot be sent; use strings, integers, booleans, maps and lists",
            )
        }
    }

    private const val HEX = "0123456789abcdef"

    /** Whether [s] at [i] must be escaped: a quote, a backslash, a control
     * character, or half of a surrogate pair without its other half. */
    private fun escaped(s: String, i: Int): Boolean {
        val c = s[i]
        return when {
            c == '"' || c == '\\' || c < ' ' -> true
            c.isHighSurrogate() -> i + 1 >= s.length || !s[i + 1].isLowSurrogate()
            c.isLowSurrogate() -> i == 0 || !s[i - 1].isHighSurrogate()
            else -> false
        }
    }

    private fun writeString(out: StringBuilder, s: String) {
        out.append('"')
        // Runs that need no escape are copied whole: most field values.
        var clean = 0
        for (i in s.indices) {
            if (!escaped(s, i)) continue
            out.append(s, clean, i)
            clean = i + 1
            when (val c = s[i]) {
                '"' -> out.append("\\\"")
                '\\' -> out.append("\\\\")
                else -> {
                    val code = c.code
                    out.append("\\u").append(HEX[code shr 12 and 0xf]).append(HEX[code shr 8 and 0xf])
                        .append(HEX[code shr 4 and 0xf]).append(HEX[code and 0xf])
                }
            }
        }
        out.append(s, clean, s.length).append('"')
    }

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
            val b = StringBuilder()
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
