package dev.trainyard.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import dev.trainyard.support.TeamServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The Java client on a team server: it sends its API token, and without one it is told why. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trainyard.auth.enabled=true", "trainyard.auth.admin-password=first-admin-pw"})
class TrainyardClientTeamModeTest {

    @LocalServerPort
    int port;

    @Test
    void aTokenLetsTheClientLogAndWithoutOneItLogsOffline(@TempDir Path journals) {
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

        // Without a token the server answers 401: a warning and an offline journal, never an exception in the training.
        var refused = new TrainyardClient(TrainyardClient.uri("http://localhost:" + port), null, TrainyardClient.Mode.ONLINE, journals)
                .init("team", null, null);
        refused.log(Map.of("loss", 1.0));
        refused.finish();
        assertThat(refused.id()).startsWith("offline-");
        assertThat(refused.journal()).hasValueSatisfying(j -> assertThat(j).startsWith(journals));
    }
}
