package dev.trainyard.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import dev.trainyard.support.Api;
import dev.trainyard.support.TeamServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Guessing passwords on a team server: a username is locked after a few failures, whether or not
 * it exists, and so is a client address after more; a locked sign-in is refused even with the right
 * password, and the admin page lists and unlocks both. Every request here comes from 127.0.0.1.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trainyard.auth.enabled=true", "trainyard.auth.admin-username=root", "trainyard.auth.admin-password=first-admin-pw",
        "trainyard.workers.count=0", "trainyard.auth.sign-in.max-failures=3", "trainyard.auth.sign-in.max-failures-per-address=10"})
class SignInThrottleTest {

    @LocalServerPort
    int port;

    @Test
    void aGuessedUsernameIsLockedTheSameWayWhetherItExistsOrNot() {
        var admin = team().signInAsAdmin();
        String real = "member" + suffix();
        team().createUser(real, "right-password-1", "MEMBER");
        String ghost = "ghost" + suffix();

        for (int i = 0; i < 3; i++) {
            assertThat(attempt(real, "wrong-" + i)).isEqualTo("/login?error");
            assertThat(attempt(ghost, "wrong-" + i)).isEqualTo("/login?error");
        }
        String lockedReal = attempt(real, "right-password-1");
        assertThat(lockedReal).as("the right password, but locked").startsWith("/login?locked=");
        assertThat(attempt(ghost, "anything")).as("the same answer for a user that does not exist").isEqualTo(lockedReal);
        assertThat(attempt(real.toUpperCase(), "wrong")).as("case does not dodge it").isEqualTo(lockedReal);
        assertThat(new Api(port).get("/login?locked=15").body()).contains("Too many failed sign-ins");

        String page = admin.get("/admin/users").body();
        assertThat(page).contains("locks-table").contains(real.toLowerCase()).contains(ghost.toLowerCase());
        var unlocked = admin.form("/admin/locks/unlock", Map.of("kind", "account", "subject", real.toLowerCase(),
                "_csrf", TeamServer.csrf(page)));
        assertThat(unlocked.status()).isEqualTo(302);
        assertThat(admin.get("/admin/users").body()).doesNotContain("<code>" + real.toLowerCase() + "</code>");
        assertThat(attempt(real, "right-password-1")).as("unlocked").isEqualTo("/projects");
        assertThat(attempt(ghost, "anything")).as("still locked").startsWith("/login?locked=");
    }

    @Test
    void oneAddressTryingManyUsernamesIsLockedToo() {
        var admin = team().signInAsAdmin();
        for (int i = 0; i < 10; i++) {
            attempt("spray" + suffix(), "password-" + i);
        }
        assertThat(attempt("root", "first-admin-pw")).as("even the right password, from this address").startsWith("/login?locked=");

        String page = admin.get("/admin/users").body();
        assertThat(page).as("a session opened before the lock still works").contains("locks-table").contains("127.0.0.1");
        admin.form("/admin/locks/unlock", Map.of("kind", "address", "subject", "127.0.0.1", "_csrf", TeamServer.csrf(page)));
        assertThat(attempt("root", "first-admin-pw")).isEqualTo("/projects");
    }

    /** Where the sign-in form sends the browser, without the server's address. */
    private String attempt(String username, String password) {
        var browser = Api.withCookies(port);
        var answer = browser.form("/login", Map.of("username", username, "password", password,
                "_csrf", TeamServer.csrf(browser.get("/login").body())));
        assertThat(answer.status()).isEqualTo(302);
        return answer.header("Location").replace("http://localhost:" + port, "");
    }

    private TeamServer team() {
        return new TeamServer(port, "root", "first-admin-pw");
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
