package io.wxpay

import io.wxpay.ffi.StoreException

/**
 * Where access_token and jsapi_ticket live when several processes share
 * them: implement it over your own Redis client or Spring cache, and pass
 * it to [WxPayClient]. wxpay calls it from its own threads, so it must be
 * thread-safe; anything it throws becomes a [WxPayException.Cache] of the
 * call that needed the token. (A `redis://` URL in the options' `token_store` needs no code at all.)
 *
 * ```java
 * class SpringCacheStore implements TokenStore {
 *     public String get(String key) { return cache.get(key, String.class); }
 *     public void set(String key, String value, long ttlSeconds) { cache.put(key, value); }
 * }
 * ```
 */
interface TokenStore {
    /** The value under [key], or null. */
    @Throws(Exception::class)
    fun get(key: String): String?

    /** Stores [value] under [key] for [ttlSeconds] seconds. */
    @Throws(Exception::class)
    fun set(key: String, value: String, ttlSeconds: Long)

    /**
     * Sets [key] to [owner] for [ttlSeconds] only if it is absent, atomically
     * (Redis `SET NX EX`): true when taken, false when another process holds
     * it. The default, null, says the store cannot, and each process then
     * fetches tokens on its own.
     */
    @Throws(Exception::class)
    fun tryLock(key: String, owner: String, ttlSeconds: Long): Boolean? = null

    /** Deletes [key] if it still holds [owner]. */
    @Throws(Exception::class)
    fun unlock(key: String, owner: String) {}
}

/** The user's store as the generated interface the core calls. */
internal class StoreBridge(private val store: TokenStore) : io.wxpay.ffi.TokenStore {
    private inline fun <T> guard(call: () -> T): T = try {
        call()
    } catch (e: Exception) {
        throw StoreException.Failed(e.javaClass.simpleName + (e.message?.let { ": $it" } ?: ""))
    }

    override fun get(key: String): String? = guard { store.get(key) }
    override fun set(key: String, value: String, ttlSeconds: Long) = guard { store.set(key, value, ttlSeconds) }
    override fun tryLock(key: String, owner: String, ttlSeconds: Long): Boolean? = guard { store.tryLock(key, owner, ttlSeconds) }
    override fun unlock(key: String, owner: String) = guard { store.unlock(key, owner) }
}
