package io.wxpay;

import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** The shared files in tests/vectors/, read with the binding's own JSON reader. */
final class Vectors {
    private Vectors() {}

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases(String name) throws Exception {
        String text = Files.readString(Sim.vectors().resolve(name));
        return (List<Map<String, Object>>) ((Map<String, Object>) Json.read(text)).get("cases");
    }

    /** `key_base64` decoded, or `key` as UTF-8. */
    static byte[] bytes(Map<String, Object> c, String key) {
        Object b64 = c.get(key + "_base64");
        if (b64 != null) return Base64.getDecoder().decode((String) b64);
        return ((String) c.get(key)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
