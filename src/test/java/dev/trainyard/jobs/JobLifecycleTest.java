package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Cancelling and failing jobs over the API, as a user does. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobLifecycleTest {

    @LocalServerPort
    int port;

    @Test
    void cancellingARunningJobStopsItAtOnceAndKeepsItsPoints() {
        var api = new Api(port);
        String id = api.post("/api/v1/runs", """
                {"project": "lifecycle", "job": {"model": "seed-rnn", "epochs": 100000}}""").json().get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/runs/" + id).json().path("job").path("progress")
                .path("step").asInt() > 50);

        var cancelled = api.post("/api/v1/runs/" + id + "/cancel", "");

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("state").asString()).isEqualTo("CANCELLED");
        long kept = lossPoints(api, id);
        assertThat(kept).isPositive();
        // Nothing the worker trains after the cancel commits is written.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> lossPoints(api, id) == kept);
        assertThat(api.get("/api/v1/runs/" + id).json().get("state").asString()).isEqualTo("CANCELLED");

        String next = api.post("/api/v1/runs", """
                {"project": "lifecycle", "job": {"model": "seed-rnn", "epochs": 10}}""").json().get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/runs/" + next).json().get("state").asString()
                .equals("FINISHED"));
    }

    @Test
    void aJobThatThrowsFailsWithItsErrorOnTheRun() {
        var api = new Api(port);
        String id = api.post("/api/v1/runs", """
                {"project": "lifecycle", "job": {"model": "gru", "dataset": "builtin:no-such-corpus", "epochs": 5}}""")
                .json().get("id").asString();

        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/runs/" + id).json().get("state").asString()
                .equals("FAILED"));

        var run = api.get("/api/v1/runs/" + id).json();
        assertThat(run.get("error").asString()).contains("no-such-corpus");
        assertThat(run.get("endedAt").isNull()).isFalse();
    }

    private static long lossPoints(Api api, String id) {
        var keys = api.get("/api/v1/runs/" + id + "/metrics").json();
        for (var key : keys) {
            if (key.get("key").asString().equals("loss")) {
                return key.get("count").asLong();
            }
        }
        return 0;
    }
}
