package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** What a job leaves beside its metrics: its console log and the process's system metrics. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "trainyard.system-metrics.interval=200ms")
class JobConsoleTest {

    @LocalServerPort
    int port;

    @Test
    void aFinishedJobHasItsEpochLinesInItsLogAndSystemMetricsApartFromItsOwn() {
        var api = new Api(port);
        String id = api.post("/api/v1/runs", """
                {"project": "console", "job": {"model": "seed-rnn", "epochs": 40}}""").json().get("id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/v1/runs/" + id).json().get("state").asString()
                .equals("FINISHED"));

        List<String> log = texts(api.get("/api/v1/runs/" + id + "/logs").json());
        assertThat(log.get(0)).startsWith("INFO  training on ").contains("attempt 1");
        assertThat(log).anyMatch(l -> l.startsWith("INFO  step 1/40  loss "));
        assertThat(log).anyMatch(l -> l.startsWith("INFO  step 40/40  loss "));
        assertThat(log).anyMatch(l -> l.startsWith("INFO  sample at step 40"));
        assertThat(log.get(log.size() - 1)).isEqualTo("INFO  finished after 40 steps");

        var keys = new ArrayList<String>();
        api.get("/api/v1/runs/" + id + "/metrics").json().forEach(k -> keys.add(k.get("key").asString()));
        assertThat(keys).contains("loss", "system/heap_mb", "system/offheap_mb", "system/rss_mb", "system/cpu_percent");
        JsonNode heap = api.get("/api/v1/runs/" + id + "/metrics/system/heap_mb").json();
        assertThat(heap.get("total").asLong()).as("a sample at the start and one at the end").isGreaterThanOrEqualTo(2);
        assertThat(heap.get("points").get(0).get("value").doubleValue()).isPositive();
        JsonNode rss = api.get("/api/v1/runs/" + id + "/metrics/system/rss_mb").json();
        assertThat(rss.get("points").get(0).get("value").doubleValue()).as("the process's RSS is above its heap")
                .isGreaterThan(heap.get("points").get(0).get("value").doubleValue());
        JsonNode loss = api.get("/api/v1/runs/" + id + "/metrics/loss").json();
        assertThat(loss.get("total").asLong()).as("system samples do not touch the job's own series").isEqualTo(40);
    }

    @Test
    void aFailedJobsLogEndsWithItsErrorAndStackTrace() {
        var api = new Api(port);
        String id = api.post("/api/v1/runs", """
                {"project": "console", "job": {"model": "gru", "dataset": "builtin:no-such-corpus", "epochs": 5}}""")
                .json().get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/runs/" + id).json().get("state").asString()
                .equals("FAILED"));

        List<String> log = texts(api.get("/api/v1/runs/" + id + "/logs").json());
        int error = log.indexOf(log.stream().filter(l -> l.startsWith("ERROR job failed: ")).findFirst().orElseThrow());
        assertThat(log.get(error)).contains("no-such-corpus");
        assertThat(log.get(error + 1)).contains("TrainingException");
        assertThat(log.subList(error + 1, log.size())).anyMatch(l -> l.startsWith("\tat dev.trainyard.training."));
        JsonNode page = api.get("/api/v1/runs/" + id + "/logs").json();
        assertThat(page.get("lines").get(error).get("stream").asString()).isEqualTo("stderr");
    }

    private static List<String> texts(JsonNode page) {
        var texts = new ArrayList<String>();
        page.get("lines").forEach(l -> texts.add(l.get("text").asString()));
        return texts;
    }
}
