package io.wxpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * tests/vectors/operations.json from Java: every core operation is a public
 * method of WxPayClient, spelled as the table says; and the client's one
 * entry point refuses the options every language refuses.
 */
class OperationsTest {
    @Test
    void everyOperationIsAMethodSpelledAsTheTableSays() throws Exception {
        Set<String> methods = Arrays.stream(WxPayClient.class.getMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()))
            .map(Method::getName)
            .collect(Collectors.toSet());
        List<String> missing = new ArrayList<>();
        List<Map<String, Object>> ops = Vectors.cases("operations.json");
        assertTrue(ops.size() >= 25);
        for (Map<String, Object> op : ops) {
            if (!methods.contains((String) op.get("camel"))) missing.add((String) op.get("camel"));
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void checkAmountComparesWithTheShopsOwnAmount() throws Exception {
        Map<String, Object> c = Vectors.cases("notify.json").stream()
            .filter(v -> Vectors.map(v.get("expect")).get("ok") != null)
            .findFirst().orElseThrow();
        Map<String, Object> options = new java.util.HashMap<>(Vectors.map(c.get("merchant")));
        options.put("base_url", "http://127.0.0.1:9");
        try (WxPayClient client = new WxPayClient(options)) {
            Map<String, Object> notify = client.verifyPaymentNotify(Vectors.bytes(c, "body"));
            long fee = (Long) notify.get("total_fee");
            client.checkAmount(notify, fee);
            WxPayException e = assertThrows(WxPayException.class, () -> client.checkAmount(notify, fee + 1));
            assertEquals("Mismatch", e.getKind());
        }
    }

    @Test
    void aStoreBesideTokenDirIsRefusedAsEveryLanguageRefusesIt() {
        TokenStore store = new TokenStore() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public void set(String key, String value, long ttlSeconds) {}
        };
        WxPayException e = assertThrows(WxPayException.class, () -> new WxPayClient(Map.of("appid", "wxd930ea5d5a258f4f",
            "mch_id", "10000100", "api_key", "192006250b4c09247ec02edce69f6a2d", "token_dir", "/tmp/wxpay-tokens"), store));
        assertEquals("Config", e.getKind());
        assertEquals("configuration error: give token_store or token_dir, not both", e.getMessage());
    }
}
