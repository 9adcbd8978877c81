package io.wxpay

import com.sun.jna.NativeLibrary
import com.sun.jna.Platform
import java.io.File

// The byte lane: JNI natives in libwxpay_uniffi (its src/lane.rs) that
// carry each call's bytes. uniffi's generated Kotlin goes through JNA,
// which builds several native structures per call and per string argument
// — tens of microseconds a call in `make bench`; the lane costs what the
// core's work does. uniffi keeps the objects and the token-store callbacks.
//
// Text arguments cross as JSON text in UTF-8 (Json.write escapes a lone
// surrogate, so it reaches the core's reader and is refused there instead
// of becoming '?'); replies are a tag byte and a payload, decoded below.

internal object Lane {
    /**
     * The library file, registered with the JVM for the lane's natives and
     * named to uniffi's loader (its `libraryOverride` property), so JNA
     * opens the same file and one copy of the core (and one list of
     * clients) serves both. JNA alone would unpack its own copy from the
     * jar and delete it once loaded, leaving nothing for the JVM to load.
     */
    private val library: File = run {
        val property = "uniffi.component.wxpay.libraryOverride"
        val file = System.getProperty(property)?.let(::File)?.takeIf { it.isAbsolute } ?: unpack()
        System.load(file.absolutePath)
        System.setProperty(property, file.absolutePath)
        file
    }

    /** The library in the jar (for this platform), as a file of its own; else where JNA finds it. */
    private fun unpack(): File {
        val resource = Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("wxpay_uniffi")
        val url = Lane::class.java.classLoader.getResource(resource)
            ?: return NativeLibrary.getInstance("wxpay_uniffi").file
                ?: throw UnsatisfiedLinkError("wxpay: libwxpay_uniffi is neither in the jar nor on jna.library.path")
        if (url.protocol == "file") return File(url.toURI())
        val file = File.createTempFile("wxpay_uniffi", ".so")
        file.deleteOnExit()
        url.openStream().use { input -> file.outputStream().use { input.copyTo(it) } }
        return file
    }

    /** Loads the library before uniffi's first call, so the two share it. */
    fun ready() {
        check(library.isAbsolute)
    }

    @JvmStatic external fun knows(client: Long): Boolean
    @JvmStatic external fun call(client: Long, op: ByteArray, args: ByteArray): ByteArray
    @JvmStatic external fun callBody(client: Long, op: ByteArray, body: ByteArray, args: ByteArray): ByteArray
    @JvmStatic external fun callV3(client: Long, op: ByteArray, args: ByteArray): ByteArray
    @JvmStatic external fun callV3Body(client: Long, op: ByteArray, body: ByteArray, args: ByteArray): ByteArray
    @JvmStatic external fun sign(params: ByteArray, key: ByteArray, signType: ByteArray?): ByteArray
    @JvmStatic external fun verify(params: ByteArray, key: ByteArray, signType: ByteArray?): ByteArray
    @JvmStatic external fun toSignedXml(params: ByteArray, key: ByteArray, signType: ByteArray?): ByteArray
    @JvmStatic external fun toXml(params: ByteArray): ByteArray
    @JvmStatic external fun fromXml(body: ByteArray): ByteArray
    @JvmStatic external fun jssdkSignature(ticket: ByteArray, noncestr: ByteArray, timestamp: Long, url: ByteArray): ByteArray
    @JvmStatic external fun decryptReqInfo(reqInfo: ByteArray, apiKey: ByteArray): ByteArray
    @JvmStatic external fun notifyFail(message: ByteArray): ByteArray

    /** A field map (or any JSON argument) as the lane takes it. */
    /**
     * A call of client [id]'s natives; the fence keeps [owner] (the native
     * client) from being collected, and so closed, while a call that no
     * longer needs it is still on its way; the library's events reach the
     * host's logging afterwards.
     */
    inline fun on(owner: Any, id: Long, call: (Long) -> ByteArray): ByteArray = try {
        Events.followLevel()
        call(id)
    } finally {
        java.lang.ref.Reference.reachabilityFence(owner)
        Events.forward()
    }

    fun jsonArg(value: Any?): ByteArray = Json.writeUtf8(value)

    /** A text argument as the lane takes it: a JSON string. */
    fun textArg(value: String): ByteArray = jsonArg(value)

    fun optionalTextArg(value: String?): ByteArray? = value?.let(::jsonArg)

    private fun payload(reply: ByteArray): String = String(reply, 1, reply.size - 1, Charsets.UTF_8)

    /** The text of a `T` reply. */
    fun text(reply: ByteArray): String = when (reply[0]) {
        'T'.code.toByte() -> payload(reply)
        else -> throw failure(reply)
    }

    /** The value of a `J` reply. */
    fun json(reply: ByteArray): Any? = when (reply[0]) {
        'J'.code.toByte() -> Json.readUtf8(reply, 1)
        else -> throw failure(reply)
    }

    /** The result and any refusal of a `B` reply. */
    fun body(reply: ByteArray): Pair<Any?, WxPayException?> = when (reply[0]) {
        'B'.code.toByte() -> {
            @Suppress("UNCHECKED_CAST")
            val both = Json.readUtf8(reply, 1) as Map<String, Any?>
            @Suppress("UNCHECKED_CAST")
            val refusal = both["error"] as Map<String, Any?>?
            both["json"] to refusal?.let { WxPayException.of(it) }
        }
        else -> throw failure(reply)
    }

    /** The exception an `E` reply describes. */
    private fun failure(reply: ByteArray): WxPayException {
        check(reply[0] == 'E'.code.toByte()) { "wxpay: the lane answered an unknown tag ${reply[0]}" }
        @Suppress("UNCHECKED_CAST")
        return WxPayException.of(Json.readUtf8(reply, 1) as Map<String, Any?>)
    }
}
