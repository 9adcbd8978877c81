package shop;

import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The shop's v3 side against a simulator signing with both keys, as while a merchant migrates. */
class V3MigratingModeTest extends V3ModeTest {
    static final String[] URL = new String[1];
    static Process sim;

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) throws Exception {
        sim = start("migrating", registry, URL);
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
        return "migrating";
    }
}
