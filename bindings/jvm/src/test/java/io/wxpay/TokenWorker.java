package io.wxpay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One more OS process for the concurrency test: a client over the shared
 * token directory, several threads asking for a page's wx.config at once.
 * Args: base URL, token directory, threads. Prints "ok" when all succeeded.
 */
public final class TokenWorker {
    public static void main(String[] args) throws Exception {
        try (WxPayClient wx = new WxPayClient(Map.of("appid", Sim.APPID, "mch_id", Sim.MCH_ID, "api_key", Sim.API_KEY,
                "app_secret", Sim.APP_SECRET, "base_url", args[0], "token_dir", args[1]))) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                Thread t = new Thread(() -> {
                    try {
                        wx.jssdkConfig("https://shop.example/pay", List.of("chooseWXPay"));
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) t.join();
            System.out.println(failures.isEmpty() ? "ok" : "failed: " + failures);
        }
    }
}
