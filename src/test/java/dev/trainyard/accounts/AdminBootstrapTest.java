package dev.trainyard.accounts;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.TrainyardApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** A team server with nobody to sign in as would be useless; it says so and does not start. */
class AdminBootstrapTest {

    @Test
    void signInWithoutAnyUserOrAdminPasswordRefusesToStart() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(TrainyardApplication.class)
                .run("--server.port=0", "--trainyard.auth.enabled=true", "--trainyard.workers.count=0").close())
                .hasStackTraceContaining("TRAINYARD_AUTH_ADMIN_PASSWORD");
    }

    @Test
    void aWeakFirstAdminPasswordIsRefusedByName() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(TrainyardApplication.class)
                .run("--server.port=0", "--trainyard.auth.enabled=true", "--trainyard.auth.admin-password=short",
                        "--trainyard.workers.count=0").close())
                .hasStackTraceContaining("TRAINYARD_AUTH_ADMIN_PASSWORD: at least 8 characters");
    }
}
