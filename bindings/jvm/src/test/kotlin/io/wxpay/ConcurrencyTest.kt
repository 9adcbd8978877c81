package io.wxpay

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.nio.file.Files
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/** Many threads, and several processes, sharing clients: counted at the simulator. */
class ConcurrencyTest {
    /** Runs [n] copies of [work] at once, released together; their results. */
    private fun <T> together(n: Int, work: (Int) -> T): List<T> {
        val pool = Executors.newFixedThreadPool(n)
        val gate = CountDownLatch(1)
        try {
            val futures = (0 until n).map { i -> pool.submit<T> { gate.await(); work(i) } }
            gate.countDown()
            return futures.map { it.get(30, TimeUnit.SECONDS) }
        } finally {
            pool.shutdownNow()
        }
    }

    @Test
    fun `one client shared by sixteen threads fetches each token once`() {
        Sim().use { sim ->
            WxPayClient(sim.options()).use { wx ->
                val configs = together(16) { wx.jssdkConfig("https://shop.example/pay", listOf("chooseWXPay")) }
                assertEquals(16, configs.size)
                assertEquals(1L, sim.stat("token_fetches"))
                assertEquals(1L, sim.stat("ticket_fetches"))
                // Orders from many threads at once: each reached WeChat once, each its own prepay_id.
                val prepayIds = together(8) { t ->
                    (0 until 4).map { i ->
                        wx.unifiedOrder(mapOf("body" to "b", "out_trade_no" to "jvm-thread-$t-$i", "total_fee" to 1,
                            "spbill_create_ip" to "127.0.0.1", "openid" to Sim.OPENID, "notify_url" to "http://127.0.0.1:9/n"))["prepay_id"]
                    }
                }.flatten()
                assertEquals(32, prepayIds.toSet().size)
                assertEquals(32L, sim.stat("unifiedorder"))
            }
        }
    }

    /** A store as an application writes it over its own cache, with an atomic add. */
    class MapStore : TokenStore {
        val values = ConcurrentHashMap<String, String>()
        val calls = AtomicInteger()
        override fun get(key: String): String? { calls.incrementAndGet(); return values[key] }
        override fun set(key: String, value: String, ttlSeconds: Long) { calls.incrementAndGet(); values[key] = value }
        override fun tryLock(key: String, owner: String, ttlSeconds: Long): Boolean = values.putIfAbsent(key, owner) == null
        override fun unlock(key: String, owner: String) { values.remove(key, owner) }
    }

    @Test
    fun `three clients over one application store fetch the token once`() {
        Sim().use { sim ->
            val store = MapStore()
            val clients = (0 until 3).map { WxPayClient(sim.options(), store) }
            try {
                val tokens = together(12) { i -> clients[i % 3].accessToken() }
                assertEquals(1, tokens.toSet().size)
                assertEquals(1L, sim.stat("token_fetches"))
                assertTrue(store.calls.get() > 0, "the core used the application's store")
                assertTrue(store.values.values.any { it.contains(tokens[0]) }, "the token was kept in the application's store")
            } finally {
                clients.forEach { it.close() }
            }
        }
    }

    @Test
    fun `a store that throws leaves checkout working on the process's own cache`() {
        val broken = object : TokenStore {
            val failures = AtomicInteger()
            override fun get(key: String): String? { failures.incrementAndGet(); throw IllegalStateException("cache cluster down") }
            override fun set(key: String, value: String, ttlSeconds: Long) { failures.incrementAndGet(); throw IllegalStateException("cache cluster down") }
        }
        Sim().use { sim ->
            WxPayClient(sim.options(), broken).use { wx ->
                // The exception crossed back into the core as a store failure (not a crash),
                // and the core kept going on its own cache: one fetch, then served from memory.
                val tokens = together(6) { wx.accessToken() }
                assertEquals(1, tokens.toSet().size)
                assertTrue(broken.failures.get() > 0)
                assertEquals(1L, sim.stat("token_fetches"))
            }
        }
    }

    @Test
    fun `three processes and their threads over one token directory fetch each token once`() {
        Sim().use { sim ->
            val dir = Files.createTempDirectory("wxpay-tokens")
            val java = ProcessHandle.current().info().command().orElse("java")
            val workers = (0 until 3).map {
                ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.wxpay.TokenWorker",
                    sim.url, dir.toString(), "4").redirectErrorStream(true).start()
            }
            val outputs = workers.map { p ->
                assertTrue(p.waitFor(60, TimeUnit.SECONDS))
                p.inputStream.readAllBytes().decodeToString().trim()
            }
            assertEquals(listOf("ok", "ok", "ok"), outputs.map { it.lines().last() }, outputs.toString())
            assertEquals(1L, sim.stat("token_fetches"))
            assertEquals(1L, sim.stat("ticket_fetches"))
            dir.toFile().deleteRecursively()
        }
    }
}
