package dev.trainyard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import dev.trainyard.support.TeamServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The Java client on a team server: it sends its API token, and without one it is told why. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trainyard.auth.enabled=true", "trainyard.auth.admin-password=first-admin-pw"})
class TrainyardClientTeamModeTest {

    @LocalServerPort
    int port;

    @Test
    void aTokenLetsTheClientLogAndItsAbsenceIsA401() {
        var team = new TeamServer(port, "admin", "first-admin-pw");
        var script = team.script("trainer", "trainer-pw-1", "MEMBER");
        String token = script.authorization().substring("Bearer ".length());

        var run = TrainyardClient.connect("http://localhost:" + port, token).init("team", "with a token", Map.of());
        for (int step = 0; step < 10; step++) {
            run.log(Map.of("loss", 1.0 / (step + 1)));
        }
        run.finish();
        var stored = script.get("/api/v1/runs/" + run.id()).json();
        assertThat(stored.get("state").asString()).isEqualTo("FINISHED");
        assertThat(script.get("/api/v1/runs/" + run.id() + "/metrics/loss").json().get("total").asLong()).isEqualTo(10);

        assertThatThrownBy(() -> TrainyardClient.connect("http://localhost:" + port, null).init("team", null, null))
                .isInstanceOf(TrainyardException.class).hasMessageContaining("401");
    }
}
