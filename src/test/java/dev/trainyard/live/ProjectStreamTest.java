package dev.trainyard.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainyard.support.Api;
import dev.trainyard.support.SseClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProjectStreamTest {

    @LocalServerPort
    int port;

    @Test
    void theRunListStreamsCreationsSummariesStatesAndDeletions() {
        var api = new Api(port);
        api.post("/api/v1/projects", "{\"name\": \"live-list\"}");
        try (var live = new SseClient(api.uri("/api/v1/projects/live-list/events"), null)) {
            await().until(() -> live.status() == 200);
            String id = api.post("/api/v1/runs", "{\"project\": \"live-list\", \"name\": \"watched\"}").json().get("id").asString();
            await().until(() -> live.events("run").stream().anyMatch(e -> e.data().contains("\"watched\"")));

            api.post("/api/v1/runs/" + id + "/metrics", "{\"points\": [{\"key\": \"loss\", \"step\": 1, \"value\": 0.5}]}");
            await().until(() -> live.events("run").stream().anyMatch(e -> e.data().contains("\"loss\":0.5")));

            api.patch("/api/v1/runs/" + id, "{\"state\": \"FINISHED\"}");
            await().until(() -> live.events("run").stream().anyMatch(e -> e.data().contains("\"FINISHED\"")));

            api.delete("/api/v1/runs/" + id);
            await().until(() -> live.events("deleted").stream().anyMatch(e -> e.data().contains(id)));
            assertThat(live.events()).allMatch(e -> e.id() != null);
        }
        try (var other = new SseClient(api.uri("/api/v1/projects/no-such-project/events"), null)) {
            await().until(() -> other.status() != 0);
            assertThat(other.status()).isEqualTo(404);
        }
    }
}
