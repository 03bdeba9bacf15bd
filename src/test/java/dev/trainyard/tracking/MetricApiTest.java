package dev.trainyard.tracking;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Logging and reading metrics over HTTP, as a script does. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MetricApiTest {

    @LocalServerPort
    int port;
    Api api;
    String run;

    @BeforeEach
    void externalRun() {
        api = new Api(port);
        var created = api.post("/api/v1/runs", """
                {"project": "metrics", "name": "script", "config": {"lr": 0.01}, "tags": ["a", "b"]}""");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("state").asString()).isEqualTo("RUNNING");
        assertThat(created.json().get("kind").asString()).isEqualTo("external");
        run = created.json().get("id").asString();
    }

    @Test
    void reSendingAStepOverwritesItInsteadOfAddingAPoint() {
        var first = api.post(metrics(), points("loss", 0, 5, 1.0));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("accepted").asInt()).isEqualTo(5);
        // A client retrying the same batch, then correcting step 4.
        assertThat(api.post(metrics(), points("loss", 0, 5, 1.0)).status()).isEqualTo(200);
        assertThat(api.post(metrics(), """
                {"points": [{"key": "loss", "step": 4, "value": 0.25}]}""").status()).isEqualTo(200);

        JsonNode history = api.get(metrics() + "/loss").json();
        assertThat(history.get("total").asLong()).isEqualTo(5);
        assertThat(history.get("points").get(4).get("value").doubleValue()).isEqualTo(0.25);
        JsonNode summary = api.get(metrics()).json().get(0);
        assertThat(summary.get("count").asLong()).isEqualTo(5);
        assertThat(summary.get("lastStep").asLong()).isEqualTo(4);
        assertThat(summary.get("lastValue").doubleValue()).isEqualTo(0.25);
        assertThat(api.get("/api/v1/runs/" + run).json().get("summary").get("loss").doubleValue()).isEqualTo(0.25);
    }

    @Test
    void aStepRepeatedWithinOneBatchKeepsItsLastValue() {
        var logged = api.post(metrics(), """
                {"points": [{"key": "loss", "step": 1, "value": 0.9},
                            {"key": "loss", "step": 2, "value": 0.8},
                            {"key": "acc", "step": 1, "value": 0.1},
                            {"key": "loss", "step": 1, "value": 0.7},
                            {"key": "loss", "step": 2, "value": "NaN"},
                            {"key": "loss", "step": 2, "value": 0.6}]}""");
        assertThat(logged.status()).isEqualTo(200);
        assertThat(logged.json().get("accepted").asInt()).as("every point sent counts as accepted").isEqualTo(6);

        JsonNode loss = api.get(metrics() + "/loss").json();
        assertThat(loss.get("total").asLong()).isEqualTo(2);
        assertThat(loss.get("points").get(0).get("value").doubleValue()).isEqualTo(0.7);
        assertThat(loss.get("points").get(1).get("value").doubleValue()).isEqualTo(0.6);
        assertThat(api.get(metrics() + "/acc").json().get("points").get(0).get("value").doubleValue()).isEqualTo(0.1);
        assertThat(api.get("/api/v1/runs/" + run).json().get("summary").get("loss").doubleValue()).isEqualTo(0.6);
    }

    @Test
    void aBatchOverlappingTheStoredStepsOverwritesThemAndAppendsTheRest() {
        assertThat(api.post(metrics(), points("loss", 0, 5, 1.0)).status()).isEqualTo(200);
        assertThat(api.post(metrics(), """
                {"points": [{"key": "loss", "step": 3, "value": "-Infinity"}, {"key": "loss", "step": 4, "value": 2.0},
                            {"key": "loss", "step": 5, "value": 2.0}, {"key": "loss", "step": 6, "value": "NaN"},
                            {"key": "loss", "step": 10, "value": 3.0}]}""").status()).isEqualTo(200);
        assertThat(api.post(metrics(), """
                {"points": [{"key": "loss", "step": 8, "value": 4.0}]}""").status())
                .as("a step below the last one that was never stored").isEqualTo(200);

        JsonNode points = api.get(metrics() + "/loss").json().get("points");
        var stored = new LinkedHashMap<Long, String>();
        points.forEach(p -> stored.put(p.get("step").asLong(), p.get("value").asString()));
        assertThat(stored).containsExactly(entry(0L, "1.0"), entry(1L, "1.0"),
                entry(2L, "1.0"), entry(3L, "-Infinity"), entry(4L, "2.0"),
                entry(5L, "2.0"), entry(6L, "NaN"), entry(8L, "4.0"),
                entry(10L, "3.0"));
        JsonNode summary = api.get(metrics()).json().get(0);
        assertThat(summary.get("count").asLong()).isEqualTo(9);
        assertThat(summary.get("lastStep").asLong()).isEqualTo(10);
        assertThat(summary.get("lastValue").doubleValue()).isEqualTo(3.0);
    }

    @Test
    void theKeySummaryStaysExactWhenPointsAreReplacedOrArriveBelowTheFirstStep() {
        assertThat(api.patch("/api/v1/runs/" + run, """
                {"metrics": {"loss": {"summary": "mean"}}}""").status()).isEqualTo(200);
        assertThat(api.post(metrics(), """
                {"points": [{"key": "loss", "step": 5, "value": 5}, {"key": "loss", "step": 6, "value": 6},
                            {"key": "loss", "step": 7, "value": 7}, {"key": "loss", "step": 8, "value": 8},
                            {"key": "loss", "step": 9, "value": 9}]}""").status()).isEqualTo(200);
        // The max (step 9) replaced by a smaller value, a value replaced by NaN, a new point below the first step.
        assertThat(api.post(metrics(), """
                {"points": [{"key": "loss", "step": 9, "value": 1}, {"key": "loss", "step": 7, "value": "NaN"},
                            {"key": "loss", "step": 2, "value": 20}]}""").status()).isEqualTo(200);

        JsonNode summary = api.get(metrics()).json().get(0);
        assertThat(summary.get("count").asLong()).isEqualTo(6);
        assertThat(summary.get("firstStep").asLong()).isEqualTo(2);
        assertThat(summary.get("lastStep").asLong()).isEqualTo(9);
        assertThat(summary.get("lastValue").doubleValue()).isEqualTo(1.0);
        assertThat(summary.get("min").doubleValue()).isEqualTo(1.0);
        assertThat(summary.get("max").doubleValue()).isEqualTo(20.0);
        assertThat(api.get("/api/v1/runs/" + run).json().get("summary").get("loss").doubleValue())
                .as("the mean of 20, 5, 6, 8 and 1: NaN left out").isEqualTo(8.0);
    }

    @Test
    void aBatchWithMoreValuesThanOneStatementMayBindIsStoredWhole() {
        // 40,000 points over four keys (PostgreSQL binds at most 32,767 values a statement), a
        // quarter of them overwriting points already stored.
        assertThat(api.post(metrics(), points("k0", 0, 10_000, 1.0)).status()).isEqualTo(200);
        var body = IntStream.range(0, 40_000)
                .mapToObj(i -> "{\"key\":\"k" + i % 4 + "\",\"step\":" + i / 4 + ",\"value\":" + i + "}")
                .collect(Collectors.joining(",", "{\"points\":[", "]}"));
        var logged = api.post(metrics(), body);
        assertThat(logged.status()).isEqualTo(200);
        assertThat(logged.json().get("accepted").asInt()).isEqualTo(40_000);

        JsonNode keys = api.get(metrics()).json();
        assertThat(keys.size()).isEqualTo(4);
        for (JsonNode key : keys) {
            assertThat(key.get("count").asLong()).as(key.get("key").asString()).isEqualTo(10_000);
            assertThat(key.get("lastStep").asLong()).isEqualTo(9_999);
        }
        JsonNode k0 = api.get(metrics() + "/k0?fromStep=9998&toStep=9999").json().get("points");
        assertThat(k0.get(0).get("value").doubleValue()).as("overwritten").isEqualTo(39_992.0);
        assertThat(k0.get(1).get("value").doubleValue()).isEqualTo(39_996.0);
        assertThat(api.get(metrics() + "/k3?fromStep=9999").json().get("points").get(0).get("value").doubleValue())
                .isEqualTo(39_999.0);
    }

    @Test
    void nanAndInfinitiesRoundTrip() {
        assertThat(api.post(metrics(), """
                {"points": [{"key": "grad/norm", "step": 1, "value": "NaN"},
                            {"key": "grad/norm", "step": 2, "value": "Infinity"},
                            {"key": "grad/norm", "step": 3, "value": "-Infinity"},
                            {"key": "grad/norm", "step": 4, "value": 1.5e300}]}""").status()).isEqualTo(200);

        JsonNode points = api.get(metrics() + "/grad/norm").json().get("points");
        assertThat(points.get(0).get("value").asString()).isEqualTo("NaN");
        assertThat(points.get(1).get("value").asString()).isEqualTo("Infinity");
        assertThat(points.get(2).get("value").asString()).isEqualTo("-Infinity");
        assertThat(points.get(3).get("value").doubleValue()).isEqualTo(1.5e300);
        assertThat(api.get(metrics() + "/grad/norm.csv").body())
                .contains("1,NaN,").contains("2,Infinity,").contains("3,-Infinity,");
    }

    @Test
    void historyDownsamplesToBucketsThatKeepTheFirstAndLastPointAndEachBucketsExtremes() {
        // 10,000 points of a sawtooth with one spike: downsampling must not hide the spike.
        var body = IntStream.range(0, 10_000)
                .mapToObj(i -> "{\"key\":\"loss\",\"step\":" + i + ",\"value\":" + (i == 7_777 ? 1000.0 : (i % 10) / 10.0) + "}")
                .collect(Collectors.joining(",", "{\"points\":[", "]}"));
        assertThat(api.post(metrics(), body).status()).isEqualTo(200);

        JsonNode history = api.get(metrics() + "/loss?maxPoints=100").json();
        JsonNode points = history.get("points");
        assertThat(history.get("total").asLong()).isEqualTo(10_000);
        assertThat(points.size()).isLessThanOrEqualTo(100).isGreaterThan(50);
        assertThat(points.get(0).get("step").asLong()).isZero();
        assertThat(points.get(points.size() - 1).get("step").asLong()).isEqualTo(9_999);
        double highest = 0;
        for (JsonNode p : points) {
            if (p.has("max")) {
                highest = Math.max(highest, p.get("max").doubleValue());
                assertThat(p.get("min").doubleValue()).isEqualTo(0.0);
            }
        }
        assertThat(highest).as("the spike at step 7777 survives as a bucket max").isEqualTo(1000.0);

        JsonNode zoomed = api.get(metrics() + "/loss?maxPoints=100&fromStep=7770&toStep=7789").json();
        assertThat(zoomed.get("total").asLong()).isEqualTo(20);
        assertThat(zoomed.get("points").size()).as("zoomed in close, every point is exact").isEqualTo(20);
        assertThat(zoomed.get("points").get(7).get("value").doubleValue()).isEqualTo(1000.0);
    }

    @Test
    void csvExportListsEveryPointInStepOrder() {
        api.post(metrics(), """
                {"points": [{"key": "acc", "step": 2, "value": 0.5, "time": "2026-01-01T00:00:02Z"},
                            {"key": "acc", "step": 1, "value": 0.25, "time": "2026-01-01T00:00:01Z"}]}""");

        var csv = api.get(metrics() + "/acc", "text/csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.body()).isEqualTo("""
                step,value,time
                1,0.25,2026-01-01T00:00:01Z
                2,0.5,2026-01-01T00:00:02Z
                """);
        assertThat(api.get(metrics() + "/acc.csv").body()).isEqualTo(csv.body());
    }

    @Test
    void heartbeatsAndEndingAnExternalRun() {
        assertThat(api.post("/api/v1/runs/" + run + "/heartbeat", "").status()).isEqualTo(204);
        var finished = api.patch("/api/v1/runs/" + run, """
                {"state": "FINISHED", "notes": "done"}""");
        assertThat(finished.status()).isEqualTo(200);
        assertThat(finished.json().get("state").asString()).isEqualTo("FINISHED");
        assertThat(finished.json().get("endedAt").isNull()).isFalse();
        assertThat(api.patch("/api/v1/runs/" + run, "{\"state\": \"FINISHED\"}").status())
                .as("a retried finish is harmless").isEqualTo(200);
        assertThat(api.patch("/api/v1/runs/" + run, "{\"state\": \"FAILED\"}").status()).isEqualTo(409);
    }

    @Test
    void listingFiltersSortsAndPages() {
        String other = api.post("/api/v1/runs", """
                {"project": "metrics", "name": "other-script", "tags": ["b"]}""").json().get("id").asString();
        api.post(metrics(), points("loss", 0, 1, 0.9));
        api.post("/api/v1/runs/" + other + "/metrics", points("loss", 0, 1, 0.1));

        JsonNode byLoss = api.get("/api/v1/runs?project=metrics&tag=b&sort=summary.loss&size=500").json();
        var ids = new java.util.ArrayList<String>();
        byLoss.get("content").forEach(r -> ids.add(r.get("id").asString()));
        assertThat(ids).containsSubsequence(other, run);

        JsonNode page = api.get("/api/v1/runs?project=metrics&q=other-script&size=1").json();
        assertThat(page.get("totalElements").asLong()).isEqualTo(1);
        assertThat(page.get("content").get(0).get("name").asString()).isEqualTo("other-script");

        assertThat(api.delete("/api/v1/runs/" + other).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/runs/" + other).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/runs/" + other + "/metrics/loss").status()).isEqualTo(404);
    }

    private String metrics() {
        return "/api/v1/runs/" + run + "/metrics";
    }

    private static String points(String key, int from, int to, double value) {
        return IntStream.range(from, to).mapToObj(i -> "{\"key\":\"" + key + "\",\"step\":" + i + ",\"value\":" + value + "}")
                .collect(Collectors.joining(",", "{\"points\":[", "]}"));
    }
}
