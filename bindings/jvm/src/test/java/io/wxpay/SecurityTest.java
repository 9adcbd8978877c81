package io.wxpay;

import static io.wxpay.Vectors.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** tests/vectors/security/ from Java: the notify handler's decisions and the catalogue's references. */
class SecurityTest {
    @Test
    void everySecurityFileHasAJvmTest() throws Exception {
        try (Stream<java.nio.file.Path> files = Files.list(Sim.vectors().resolve("security"))) {
            assertEquals(List.of("catalogue.json", "decisions.json", "faults.json", "notify_handler.json"),
                files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
        }
    }

    @Test
    void theNotifyHandlerDecidesAsTheFixturesSay() throws Exception {
        List<Map<String, Object>> cases = Vectors.cases("security/notify_handler.json");
        assertTrue(cases.size() >= 15);
        for (Map<String, Object> c : cases) {
            String name = (String) c.get("name");
            Map<String, Object> e = map(c.get("expect"));
            Map<String, Object> order = map(c.get("order"));
            byte[] body = Vectors.bytes(c, "body");
            try (WxPayClient client = new WxPayClient(map(c.get("merchant")))) {
                List<String> asked = new ArrayList<>();
                NotifyDecision d = client.handlePaymentNotify(body, no -> {
                    asked.add(no);
                    return order;
                });
                assertEquals(e.get("status"), d.getStatus(), name);
                assertEquals(e.get("reply"), WxPay.fromXml(d.getReply()).get("return_code"), name);
                assertEquals(e.get("out_trade_no"), d.getOutTradeNo(), name);
                // The shop's order is looked up only for a verified claim of payment.
                boolean paidClaim = e.get("out_trade_no") != null && !"not_paid".equals(e.get("status"));
                assertEquals(paidClaim ? List.of(e.get("out_trade_no")) : List.of(), asked, name);
                if (e.get("error") == null) {
                    assertNull(d.getError(), name);
                } else {
                    Map<String, Object> want = map(e.get("error"));
                    WxPayException got = d.getError();
                    assertNotNull(got, name);
                    assertEquals(Arrays.asList(want.get("kind"), want.get("retryable"), want.get("field"), want.get("reason")),
                        Arrays.asList(got.getKind(), got.isRetryable(), got.getField(), got.getReason()), name);
                    assertInstanceOf(WxPayException.class, got, name);
                    assertEquals(want.get("kind"), got.getClass().getSimpleName(), name + ": the subclass names the kind");
                }
                assertEquals(e.get("status"), client.settlePaymentNotify(body, order).getStatus(), name);
            }
        }
    }

    @Test
    void everyCatalogueReferenceNamesAVectorCase() throws Exception {
        List<Map<String, Object>> catalogue = Vectors.cases("security/catalogue.json");
        assertEquals(LongStream.rangeClosed(1, 120).boxed().collect(Collectors.toList()),
            catalogue.stream().map(c -> c.get("id")).collect(Collectors.toList()));
        for (Map<String, Object> entry : catalogue) {
            @SuppressWarnings("unchecked")
            List<String> refs = (List<String>) entry.getOrDefault("vectors", List.of());
            for (String ref : refs) {
                String file = ref.substring(0, ref.indexOf('#'));
                String name = ref.substring(ref.indexOf('#') + 1);
                assertTrue(Vectors.cases(file).stream().anyMatch(v -> name.equals(v.get("name"))), entry.get("name") + ": " + ref);
            }
        }
    }
}
