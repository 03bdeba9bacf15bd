package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.trainyard.TrainyardApplication;
import dev.trainyard.support.Api;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A dl4j job left RUNNING by a process that died mid-training is queued again when a server comes back,
 * and trained from its first epoch: with its seed, the curve is the one the same job trains undisturbed.
 */
class Dl4jRequeueTest {

    private static final int EPOCHS = 30;

    @TempDir
    Path data;

    @Test
    void aDl4jJobOfADeadProcessIsTrainedAgainToTheSameCurve() {
        String job = "{\"project\": \"requeue\", \"job\": {\"model\": \"dl4j\", \"network\": " + Dl4jTemplates.irisMlp().toJson()
                + ", \"epochs\": " + EPOCHS + ", \"batchSize\": 16, \"seed\": 11}}";
        String id;
        try (var first = start(0)) {
            var created = api(first).post("/api/v1/runs", job);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            id = created.json().get("id").asString();
            // What a worker that died mid-epoch leaves behind: RUNNING, owned, heart-beating no more, some epochs logged.
            var jdbc = first.getBean(JdbcTemplate.class);
            jdbc.update("update run set state = 'RUNNING', started_at = ?, heartbeat_at = ? where id = ?",
                    Timestamp.from(Instant.now()), Timestamp.from(Instant.now()), id);
            jdbc.update("update job set owner = 'dead-node', attempts = 1 where run_id = ?", id);
            var partial = api(first).post("/api/v1/runs/" + id + "/metrics",
                    "{\"points\": [{\"key\": \"val_accuracy\", \"step\": 1, \"value\": -1}, {\"key\": \"val_accuracy\", \"step\": 2, \"value\": -1}]}");
            assertThat(partial.status()).as(partial.body()).isEqualTo(200);
        }

        try (var second = start(1)) {
            Api api = api(second);
            await().atMost(Duration.ofMinutes(3)).until(() -> api.get("/api/v1/runs/" + id).json().get("state").asString(),
                    s -> s.matches("FINISHED|FAILED"));
            assertThat(api.get("/api/v1/runs/" + id).json().get("state").asString()).isEqualTo("FINISHED");
            var jdbc = second.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("select attempts from job where run_id = ?", Integer.class, id)).isEqualTo(2);
            assertThat(jdbc.queryForList("select payload from run_event where run_id = ? and type = 'STATE' order by id", String.class, id))
                    .anySatisfy(p -> assertThat(p).contains("QUEUED"));

            String fresh = api.post("/api/v1/runs", job).json().get("id").asString();
            await().atMost(Duration.ofMinutes(3)).until(() -> api.get("/api/v1/runs/" + fresh).json().get("state").asString(),
                    s -> s.matches("FINISHED|FAILED"));
            List<Double> requeued = curve(api, id);
            assertThat(requeued).as("every epoch once, the dead attempt's points overwritten").hasSize(EPOCHS).doesNotContain(-1.0);
            assertThat(requeued).as("the same curve as the job trained undisturbed").containsExactlyElementsOf(curve(api, fresh));
            assertThat(requeued.get(EPOCHS - 1)).isGreaterThanOrEqualTo(0.9);
            assertThat(api.post("/api/v1/runs/" + id + "/predict", "{\"rows\": [[5.1, 3.5, 1.4, 0.2]]}").json()
                    .get("predictions").get(0).get("label").asString()).isEqualTo("setosa");
        }
    }

    private static List<Double> curve(Api api, String id) {
        return api.get("/api/v1/runs/" + id + "/metrics/val_accuracy?maxPoints=1000").json().get("points").valueStream()
                .map(p -> p.get("value").asDouble()).toList();
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private ConfigurableApplicationContext start(int workers) {
        return new SpringApplicationBuilder(TrainyardApplication.class).run(
                "--server.port=0",
                "--trainyard.data-dir=" + data,
                "--spring.datasource.url=jdbc:h2:file:" + data.resolve("trainyard"),
                "--trainyard.workers.count=" + workers);
    }
}
