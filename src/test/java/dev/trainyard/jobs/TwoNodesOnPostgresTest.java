package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import dev.trainyard.support.Api;
import dev.trainyard.support.Postgres;
import dev.trainyard.support.SseClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team's deployment in one test: a web node and a worker node on one PostgreSQL database. A
 * browser on the web node sees, live, the epochs the worker node trains.
 */
class TwoNodesOnPostgresTest {

    @TempDir
    Path data;

    @BeforeAll
    static void postgresAvailable() {
        Postgres.assumeAvailable();
    }

    @Test
    void epochsTrainedOnTheWorkerNodeStreamToSubscribersOfTheWebNode() {
        try (var nodes = new PostgresNodes(data)) {
            var api = new Api(PostgresNodes.port(nodes.inProcess("--trainyard.role=web")));
            var workerApi = new Api(PostgresNodes.port(nodes.inProcess("--trainyard.role=worker")));
            assertThat(workerApi.get("/api/v1/runs").status()).as("a worker serves no API").isEqualTo(404);
            assertThat(workerApi.get("/actuator/health").status()).isEqualTo(200);

            String id = api.post("/api/v1/runs", "{\"project\": \"team\", \"job\": {\"model\": \"seed-rnn\", \"epochs\": 300}}")
                    .json().get("id").asString();
            try (var live = new SseClient(api.uri("/api/v1/runs/" + id + "/events"), null)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> live.events("state").stream()
                        .anyMatch(e -> e.data().contains("FINISHED")));
                assertThat(live.events("metrics")).as("epochs relayed from the worker node").isNotEmpty();
                assertThat(live.events("progress")).isNotEmpty();
            }
            var run = api.get("/api/v1/runs/" + id).json();
            assertThat(run.get("state").asString()).isEqualTo("FINISHED");
            assertThat(api.get("/api/v1/runs/" + id + "/metrics/loss").json().get("total").asLong()).isEqualTo(300);
        }
    }
}
