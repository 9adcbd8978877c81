package io.wxpay

/**
 * wxpay's events (a token store down, …; never a secret) go to
 * `System.getLogger("wxpay")`: java.util.logging by default, or whatever the
 * application routes `System.Logger` to (SLF4J, Log4j). The message ends
 * with the event's name and fields, e.g.
 * `token store error: …; using this process's own token cache until the store answers
 * [token_store_down key=wxpay:wx…:access_token action=get]`.
 *
 * The native library only queues them; they are logged after each call,
 * on the caller's thread.
 */
internal object Events {
    private val logger: System.Logger = System.getLogger("wxpay")

    private fun level(name: Any?): System.Logger.Level = when (name) {
        "debug" -> System.Logger.Level.DEBUG
        "info" -> System.Logger.Level.INFO
        "warning" -> System.Logger.Level.WARNING
        else -> System.Logger.Level.ERROR
    }

    /** Whether the core builds `debug` events, as last told. */
    @Volatile private var debug = false

    /**
     * Has the core build its `debug` events (one `call` per call to WeChat,
     * one `attempt` per HTTP exchange) only while the `wxpay` logger would
     * keep them (java.util.logging: FINE): checked before each call.
     */
    fun followLevel() {
        val wanted = logger.isLoggable(System.Logger.Level.DEBUG)
        if (wanted == debug) return
        try {
            io.wxpay.ffi.eventsSetLevel(if (wanted) "debug" else "info")
            debug = wanted
        } catch (e: Exception) {
            // Logging trouble never fails a payment call.
        }
    }

    /** Logs what the library met during the call that just returned; never throws. */
    fun forward() {
        try {
            if (!io.wxpay.ffi.eventsPending()) return
            @Suppress("UNCHECKED_CAST")
            val taken = Json.read(io.wxpay.ffi.eventsTake()) as Map<String, Any?>
            @Suppress("UNCHECKED_CAST")
            for (e in taken["events"] as List<Map<String, Any?>>) {
                val fields = (e["fields"] as Map<*, *>).entries.joinToString("") { " ${it.key}=${it.value}" }
                logger.log(level(e["level"]), "${e["message"]} [${e["name"]}$fields]")
            }
            val dropped = taken["dropped"] as Long
            if (dropped > 0) logger.log(System.Logger.Level.WARNING, "$dropped wxpay events were dropped")
        } catch (e: Exception) {
            // Logging trouble never fails a payment call.
        }
    }
}
