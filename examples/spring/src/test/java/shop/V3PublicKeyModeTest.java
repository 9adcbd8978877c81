package shop;

import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The shop's v3 side against a simulator signing with the WeChat Pay public key only. */
class V3PublicKeyModeTest extends V3ModeTest {
    static final String[] URL = new String[1];
    static Process sim;

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) throws Exception {
        sim = start("public-key", registry, URL);
    }

    @AfterAll
    static void stop() {
        sim.destroy();
    }

    @Override
    String simUrl() {
        return URL[0];
    }

    @Override
    String mode() {
        return "public-key";
    }
}
