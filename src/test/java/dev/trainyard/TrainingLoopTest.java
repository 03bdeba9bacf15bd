package dev.trainyard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import dev.trainyard.support.Api;
import dev.trainyard.support.SseClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The whole product loop: HTTP in, a job trained by a worker, points stored, SSE out. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TrainingLoopTest {

    private static final int EPOCHS = 120;

    @LocalServerPort
    int port;

    @Test
    void aQueuedJobTrainsStreamsItsEpochsAndFinishesWithAFallingLoss() {
        var api = new Api(port);
        var created = api.post("/api/v1/runs", """
                {"project": "loop", "name": "seed", "job": {"model": "seed-rnn", "steps": %d}}""".formatted(EPOCHS));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(created.json().get("kind").asString()).isEqualTo("job");
        assertThat(created.json().path("job").path("hidden").asInt()).isEqualTo(35);
        assertThat(created.json().path("job").path("steps").asInt()).isEqualTo(EPOCHS);
        assertThat(created.json().path("job").has("epochs")).as("steps' old name is not echoed").isFalse();

        try (var live = new SseClient(api.uri("/api/v1/runs/" + id + "/events"), "0")) {
            await().atMost(Duration.ofSeconds(90)).until(() -> live.events("state").stream()
                    .anyMatch(e -> e.data().contains("FINISHED")));

            List<Long> streamedSteps = new ArrayList<>();
            for (var event : live.events("metrics")) {
                for (JsonNode p : api.json(event.data()).get("points")) {
                    if (p.get("key").asString().equals("loss")) {
                        streamedSteps.add(p.get("step").asLong());
                    }
                }
            }
            assertThat(streamedSteps).as("every epoch's loss arrives once, in order")
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, EPOCHS).boxed().toList());
            assertThat(live.events("state")).extracting(SseClient.Event::data)
                    .anyMatch(d -> d.contains("RUNNING")).anyMatch(d -> d.contains("FINISHED"));
            assertThat(live.events("progress")).isNotEmpty();
            assertThat(api.json(live.events("progress").get(live.events("progress").size() - 1).data()).get("step").asInt()).isEqualTo(EPOCHS);
            var ids = live.events().stream().map(SseClient.Event::id).filter(i -> i != null).map(Long::parseLong).toList();
            assertThat(ids).isSorted().doesNotHaveDuplicates();
        }

        JsonNode run = api.get("/api/v1/runs/" + id).json();
        assertThat(run.get("state").asString()).isEqualTo("FINISHED");
        assertThat(run.path("job").path("progress").path("step").asInt()).isEqualTo(EPOCHS);

        JsonNode loss = api.get("/api/v1/runs/" + id + "/metrics/loss?maxPoints=10000").json();
        assertThat(loss.get("total").asLong()).isEqualTo(EPOCHS);
        double first = loss.get("points").get(0).get("value").doubleValue();
        double last = loss.get("points").get(EPOCHS - 1).get("value").doubleValue();
        assertThat(last).as("loss after %d epochs", EPOCHS).isLessThan(first / 2);
        List<String> keys = new ArrayList<>();
        api.get("/api/v1/runs/" + id + "/metrics").json().forEach(k -> keys.add(k.get("key").asString()));
        // The worker's samples of the process (system/...) sit beside the job's own series.
        assertThat(keys).filteredOn(k -> !k.startsWith("system/"))
                .containsExactly("accuracy", "epoch_ms", "exact", "grad_norm/k=1", "grad_norm/k=16", "grad_norm/k=2",
                        "grad_norm/k=32", "grad_norm/k=4", "grad_norm/k=8", "loss");
        assertThat(keys).contains("system/heap_mb", "system/rss_mb");
    }

    @Test
    void theSeedJobWithTheTutorialsDefaultsReproducesTheSentence() {
        var api = new Api(port);
        String id = api.post("/api/v1/runs", """
                {"project": "seed", "job": {"model": "seed-rnn"}}""").json().get("id").asString();

        await().atMost(Duration.ofMinutes(3)).until(() -> api.get("/api/v1/runs/" + id).json().get("state").asString().equals("FINISHED"));

        var generated = api.post("/api/v1/runs/" + id + "/generate", "{}");
        assertThat(generated.status()).isEqualTo(200);
        assertThat(generated.json().get("text").asString()).isEqualTo("hello pytorch. how long can a rnn cell remember?");
        assertThat(api.get("/api/v1/runs/" + id).json().path("summary").path("accuracy").doubleValue()).isEqualTo(1.0);
        var model = api.get("/api/v1/runs/" + id + "/model");
        assertThat(model.status()).isEqualTo(200);
        assertThat(model.contentType()).isEqualTo("application/octet-stream");
        assertThat(model.body()).startsWith("TYRD");
        assertThat(model.header("X-Content-Type-Options")).as("a download is not sniffed").isEqualTo("nosniff");

        var part = api.get("/api/v1/runs/" + id + "/model", "Range", "bytes=0-3");
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.body()).isEqualTo("TYRD");
        for (String range : new String[] {"bytes=999999999-", "bytes=5-2", "pages=1-2"}) {
            var outside = api.get("/api/v1/runs/" + id + "/model", "Range", range);
            assertThat(outside.status()).as(range).isEqualTo(416);
            assertThat(outside.header("Content-Range")).as(range).matches("bytes \\*/[1-9][0-9]*");
            assertThat(outside.contentType()).as(range).startsWith("application/problem+json");
            assertThat(outside.body()).as("not the file: " + range).doesNotContain("TYRD");
        }
    }

    @Test
    void generatingBeforeTheModelIsTrainedIsAConflict() {
        var api = new Api(port);
        String external = api.post("/api/v1/runs", "{\"project\": \"seed\"}").json().get("id").asString();
        var response = api.post("/api/v1/runs/" + external + "/generate", "{}");
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void theOpenApiDocumentDescribesTheWholeApi() {
        var document = new Api(port).get("/v3/api-docs").json();
        assertThat(document.get("info").get("title").asString()).isEqualTo("Trainyard API");
        var docs = document.get("paths");
        for (String path : new String[] {"/api/v1/projects", "/api/v1/projects/{slug}", "/api/v1/runs", "/api/v1/runs/{id}",
                "/api/v1/runs/{id}/heartbeat", "/api/v1/runs/{id}/cancel", "/api/v1/runs/{id}/metrics",
                "/api/v1/runs/{id}/events", "/api/v1/runs/{id}/generate", "/api/v1/runs/{id}/model", "/api/v1/metrics"}) {
            assertThat(docs.has(path)).as(path).isTrue();
        }
    }

    @Test
    void aReconnectingSubscriberResumesAfterItsLastEventWithNoGapAndNoDuplicate() {
        var api = new Api(port);
        String id = api.post("/api/v1/runs", """
                {"project": "loop", "job": {"epochs": 40}}""").json().get("id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/v1/runs/" + id).json().get("state").asString().equals("FINISHED"));

        List<SseClient.Event> all;
        try (var full = new SseClient(api.uri("/api/v1/runs/" + id + "/events"), "0")) {
            await().until(() -> full.events("state").stream().anyMatch(e -> e.data().contains("FINISHED")));
            all = full.events();
        }
        var cut = all.get(all.size() / 2);
        try (var resumed = new SseClient(api.uri("/api/v1/runs/" + id + "/events"), cut.id())) {
            await().until(() -> resumed.events("state").stream().anyMatch(e -> e.data().contains("FINISHED")));
            var expected = all.subList(all.size() / 2 + 1, all.size());
            assertThat(resumed.events()).containsExactlyElementsOf(expected);
        }
        var seen = new HashSet<String>();
        all.forEach(e -> assertThat(seen.add(e.id())).isTrue());
    }
}
