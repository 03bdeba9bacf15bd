package dev.trainyard.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * MLflow's REST API at the HTTP level, for what the Java client does not show: the Python client's
 * request shapes (from mlflow/store/tracking/rest_store.py: numbers as JSON numbers, NaN as a bare
 * token), /ajax-api, the error bodies, and runs made through Trainyard's own API.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MlflowHttpApiTest {

    private static final String MLFLOW = "/api/2.0/mlflow/";

    @LocalServerPort
    int port;
    Api api;

    @BeforeEach
    void api() {
        api = new Api(port);
    }

    @Test
    void thePythonClientsShapesWithNumbersAndBareNaN() {
        var created = api.post(MLFLOW + "runs/create", """
                {"experiment_id": "0", "user_id": "bob", "start_time": 1700000000000, "run_name": "py-run",
                 "tags": [{"key": "mlflow.runName", "value": "py-run"}, {"key": "mlflow.source.type", "value": "LOCAL"},
                          {"key": "mlflow.user", "value": "bob"}]}""");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        JsonNode info = created.json().get("run").get("info");
        String runId = info.get("run_id").asString();
        assertThat(info.get("run_uuid").asString()).isEqualTo(runId);
        assertThat(info.get("run_name").asString()).isEqualTo("py-run");
        assertThat(info.get("status").asString()).isEqualTo("RUNNING");
        assertThat(info.get("artifact_uri").asString()).startsWith("mlflow-artifacts:/0/" + runId);
        assertThat(info.get("start_time").asLong()).as("the client's start_time, a JSON number").isEqualTo(1700000000000L);
        assertThat(api.get("/api/v1/runs/" + runId).json().get("startedAt").asString()).isEqualTo("2023-11-14T22:13:20Z");

        var metric = api.post(MLFLOW + "runs/log-metric", "{\"run_id\": \"" + runId + "\", \"run_uuid\": \"" + runId
                + "\", \"key\": \"loss\", \"value\": NaN, \"timestamp\": 1700000000001, \"step\": 3}");
        assertThat(metric.status()).as(metric.body()).isEqualTo(200);
        assertThat(metric.json().size()).isZero();
        var infinite = api.post(MLFLOW + "runs/log-metric", "{\"run_id\": \"" + runId
                + "\", \"key\": \"grad\", \"value\": -Infinity, \"timestamp\": 1700000000002}");
        assertThat(infinite.status()).as(infinite.body()).isEqualTo(200);
        var batch = api.post(MLFLOW + "runs/log-batch", "{\"run_id\": \"" + runId + "\", \"metrics\": ["
                + "{\"key\": \"acc\", \"value\": 0.5, \"timestamp\": 1700000000003, \"step\": 0},"
                + "{\"key\": \"acc\", \"value\": 0.75, \"timestamp\": 1700000000004, \"step\": 1}],"
                + "\"params\": [{\"key\": \"lr\", \"value\": \"0.01\"}], \"tags\": [{\"key\": \"stage\", \"value\": \"dev\"}]}");
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);

        JsonNode data = api.get(MLFLOW + "runs/get?run_id=" + runId).json().get("run").get("data");
        assertThat(data.toString()).contains("{\"key\":\"loss\",\"value\":\"NaN\",\"timestamp\":1700000000001,\"step\":3}")
                .contains("{\"key\":\"grad\",\"value\":\"-Infinity\",\"timestamp\":1700000000002,\"step\":0}")
                .contains("{\"key\":\"lr\",\"value\":\"0.01\"}").contains("{\"key\":\"stage\",\"value\":\"dev\"}")
                .contains("{\"key\":\"mlflow.user\",\"value\":\"bob\"}");

        var page = api.get(MLFLOW + "metrics/get-history?run_id=" + runId + "&metric_key=acc&max_results=1").json();
        assertThat(page.get("metrics").get(0).get("value").asDouble()).isEqualTo(0.5);
        var next = api.get(MLFLOW + "metrics/get-history?run_id=" + runId + "&metric_key=acc&max_results=1&page_token="
                + page.get("next_page_token").asString()).json();
        assertThat(next.get("metrics").get(0).get("value").asDouble()).isEqualTo(0.75);
        assertThat(next.has("next_page_token")).isFalse();
    }

    /**
     * A loop of {@code log_metric("loss", v)} without a step: every value at step 0, timestamps
     * growing. All of them are kept and read back in order, a retry is not doubled, and the
     * dashboard's history charts them by position.
     */
    @Test
    void pointsLoggedWithoutAStepAreAllKeptInOrder() {
        String runId = api.post(MLFLOW + "runs/create", "{}").json().get("run").get("info").get("run_id").asString();
        for (int i = 0; i < 5; i++) {
            var logged = api.post(MLFLOW + "runs/log-metric", "{\"run_id\": \"" + runId + "\", \"key\": \"loss\", \"value\": "
                    + (10 - i) + ", \"timestamp\": " + (1700000000000L + i) + "}");
            assertThat(logged.status()).as(logged.body()).isEqualTo(200);
        }
        // A batch with three values in one millisecond (NaN among them), a retry of the last single
        // call, and a point at step 1 logged before them: history orders by step, then time.
        var batch = api.post(MLFLOW + "runs/log-batch", "{\"run_id\": \"" + runId + "\", \"metrics\": ["
                + "{\"key\": \"loss\", \"value\": 1, \"timestamp\": 1600000000000, \"step\": 1},"
                + "{\"key\": \"loss\", \"value\": 5, \"timestamp\": 1700000000005, \"step\": 0},"
                + "{\"key\": \"loss\", \"value\": NaN, \"timestamp\": 1700000000005, \"step\": 0},"
                + "{\"key\": \"loss\", \"value\": 4, \"timestamp\": 1700000000005, \"step\": 0},"
                + "{\"key\": \"loss\", \"value\": 6, \"timestamp\": 1700000000004, \"step\": 0}]}");
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);

        JsonNode all = api.get(MLFLOW + "metrics/get-history?run_id=" + runId + "&metric_key=loss").json().get("metrics");
        assertThat(values(all)).containsExactly(10.0, 9.0, 8.0, 7.0, 6.0, 4.0, 5.0, Double.NaN, 1.0);
        assertThat(all.get(0).get("step").asLong()).isZero();
        assertThat(all.get(6).get("timestamp").asLong()).isEqualTo(1700000000005L);
        assertThat(all.get(8).get("step").asLong()).isEqualTo(1);

        var paged = new java.util.ArrayList<Double>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = api.get(MLFLOW + "metrics/get-history?run_id=" + runId + "&metric_key=loss&max_results=2"
                    + (token == null ? "" : "&page_token=" + token)).json();
            paged.addAll(values(page.get("metrics")));
            token = page.has("next_page_token") ? page.get("next_page_token").asString() : null;
            pages++;
        } while (token != null);
        assertThat(paged).as("pages of 2, one ending at the NaN").containsExactly(10.0, 9.0, 8.0, 7.0, 6.0, 4.0, 5.0, Double.NaN, 1.0);
        assertThat(pages).isEqualTo(5);

        // The run's latest value is the last one logged; the dashboard charts every point by position.
        JsonNode latest = api.get(MLFLOW + "runs/get?run_id=" + runId).json().get("run").get("data").get("metrics");
        assertThat(latest.size()).isEqualTo(1);
        assertThat(latest.get(0).get("step").asLong()).isEqualTo(1);
        JsonNode chart = api.get("/api/v1/runs/" + runId + "/metrics/loss?maxPoints=100").json();
        assertThat(chart.get("axis").asString()).isEqualTo("sequence");
        assertThat(chart.get("total").asLong()).isEqualTo(9);
        assertThat(values(chart.get("points"))).containsExactly(10.0, 9.0, 8.0, 7.0, 6.0, 4.0, 5.0, Double.NaN, 1.0);
        assertThat(chart.get("points").get(6).get("step").asLong()).isEqualTo(6);
        JsonNode tail = api.get("/api/v1/runs/" + runId + "/metrics/loss?fromStep=5&toStep=6").json();
        assertThat(values(tail.get("points"))).containsExactly(4.0, 5.0);
    }

    /** Trainyard's own API keeps its (key, step) overwrite: a re-sent step replaces, and the chart is per step. */
    @Test
    void trainyardsOwnApiStillOverwritesAStep() {
        String runId = api.post("/api/v1/runs", "{\"project\": \"native\", \"name\": \"retried\"}").json().get("id").asString();
        for (double v : new double[] {3.0, 2.0}) {
            assertThat(api.post("/api/v1/runs/" + runId + "/metrics", "{\"points\": [{\"key\": \"loss\", \"step\": 0, \"value\": "
                    + v + "}]}").status()).isLessThan(300);
        }
        JsonNode chart = api.get("/api/v1/runs/" + runId + "/metrics/loss").json();
        assertThat(chart.has("axis")).isFalse();
        assertThat(values(chart.get("points"))).containsExactly(2.0);
        assertThat(values(api.get(MLFLOW + "metrics/get-history?run_id=" + runId + "&metric_key=loss").json().get("metrics")))
                .containsExactly(2.0);
    }

    /** An MLflow series with distinct steps is charted per step as any other. */
    @Test
    void anMlflowSeriesWithStepsIsChartedPerStep() {
        String runId = api.post(MLFLOW + "runs/create", "{}").json().get("run").get("info").get("run_id").asString();
        api.post(MLFLOW + "runs/log-batch", "{\"run_id\": \"" + runId + "\", \"metrics\": ["
                + "{\"key\": \"acc\", \"value\": 0.5, \"timestamp\": 1, \"step\": 10},"
                + "{\"key\": \"acc\", \"value\": 0.6, \"timestamp\": 2, \"step\": 20}]}");
        JsonNode chart = api.get("/api/v1/runs/" + runId + "/metrics/acc").json();
        assertThat(chart.has("axis")).isFalse();
        assertThat(chart.get("points").get(1).get("step").asLong()).isEqualTo(20);
    }

    private static java.util.List<Double> values(JsonNode points) {
        var out = new java.util.ArrayList<Double>();
        points.forEach(p -> out.add(p.get("value").isString() ? Double.parseDouble(p.get("value").asString()) : p.get("value").asDouble()));
        return out;
    }

    /** run_view_type as the Python client's protobuf JSON writes it (the name) or as its number. */
    @Test
    void runViewTypeByNameOrNumber() {
        String experimentId = api.post(MLFLOW + "experiments/create", "{\"name\": \"views " + System.nanoTime() + "\"}").json()
                .get("experiment_id").asString();
        String runId = api.post(MLFLOW + "runs/create", "{\"experiment_id\": \"" + experimentId + "\"}").json().get("run")
                .get("info").get("run_id").asString();
        assertThat(api.post(MLFLOW + "runs/delete", "{\"run_id\": \"" + runId + "\"}").status()).isEqualTo(200);
        for (String view : new String[] {"\"DELETED_ONLY\"", "2", "\"ALL\"", "3"}) {
            JsonNode found = api.post(MLFLOW + "runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"], \"run_view_type\": "
                    + view + "}").json();
            assertThat(found.get("runs").size()).as(view).isEqualTo(1);
            assertThat(found.get("runs").get(0).get("info").get("lifecycle_stage").asString()).isEqualTo("deleted");
        }
        assertThat(api.post(MLFLOW + "runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"]}").json().get("runs").size())
                .as("ACTIVE_ONLY by default").isZero();
        assertError(api.post(MLFLOW + "runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"], \"run_view_type\": \"SOME\"}"),
                400, "INVALID_PARAMETER_VALUE");
        assertError(api.post(MLFLOW + "runs/delete", "{\"run_id\": \"00000000000000000000000000000000\"}"), 404,
                "RESOURCE_DOES_NOT_EXIST");
        assertThat(api.post("/ajax-api/2.0/mlflow/runs/restore", "{\"run_id\": \"" + runId + "\"}").status()).isEqualTo(200);
        assertThat(api.get(MLFLOW + "experiments/search?view_type=ACTIVE_ONLY&max_results=1000").json().toString()).contains(experimentId);
        assertThat(api.get(MLFLOW + "experiments/search?view_type=DELETED_ONLY").json().toString()).doesNotContain(experimentId);
    }

    @Test
    void ajaxApiServesTheSameHandlers() {
        var experiment = api.get("/ajax-api/2.0/mlflow/experiments/get?experiment_id=0");
        assertThat(experiment.status()).isEqualTo(200);
        assertThat(experiment.json().get("experiment").get("name").asString()).isEqualTo("Default");
        var search = api.post("/ajax-api/2.0/mlflow/runs/search", "{\"experiment_ids\": [\"0\"], \"max_results\": 5}");
        assertThat(search.status()).as(search.body()).isEqualTo(200);
    }

    @Test
    void errorsHaveMlflowsBodyAndStatus() {
        assertError(api.post(MLFLOW + "runs/log-metric", "{\"run_id\": "), 400, "BAD_REQUEST");
        assertError(api.post(MLFLOW + "runs/log-metric", "{\"key\": \"loss\", \"value\": 1, \"timestamp\": 1}"), 400,
                "INVALID_PARAMETER_VALUE");
        assertError(api.post(MLFLOW + "runs/log-metric", "{\"run_id\": \"00000000000000000000000000000000\", \"key\": \"loss\", "
                + "\"value\": 1, \"timestamp\": 1}"), 404, "RESOURCE_DOES_NOT_EXIST");
        String runId = api.post(MLFLOW + "runs/create", "{}").json().get("run").get("info").get("run_id").asString();
        assertError(api.post(MLFLOW + "runs/log-metric", "{\"run_id\": \"" + runId + "\", \"key\": \"loss\", \"value\": \"high\", "
                + "\"timestamp\": 1}"), 400, "INVALID_PARAMETER_VALUE");
        assertError(api.post(MLFLOW + "runs/log-metric", "{\"run_id\": \"" + runId + "\", \"key\": \"loss\", \"value\": 1, "
                + "\"timestamp\": \"yesterday\"}"), 400, "INVALID_PARAMETER_VALUE");
        assertError(api.post(MLFLOW + "runs/update", "{\"run_id\": \"" + runId + "\", \"status\": \"PAUSED\"}"), 400,
                "INVALID_PARAMETER_VALUE");
        assertError(api.post(MLFLOW + "runs/search", "{\"experiment_ids\": [\"0\"], \"filter\": \"metrics.loss <\"}"), 400,
                "INVALID_PARAMETER_VALUE");
        assertError(api.post(MLFLOW + "runs/search", "{\"experiment_ids\": [\"0\"], \"order_by\": [\"attributes.colour\"]}"), 400,
                "INVALID_PARAMETER_VALUE");
        assertError(api.post(MLFLOW + "runs/delete-tag", "{\"run_id\": \"" + runId + "\", \"key\": \"never-set\"}"), 404,
                "RESOURCE_DOES_NOT_EXIST");
        assertError(api.get(MLFLOW + "experiments/get-by-name?experiment_name=nowhere-" + runId), 404, "RESOURCE_DOES_NOT_EXIST");
        assertError(api.post(MLFLOW + "experiments/create", "{\"name\": \"  \"}"), 400, "INVALID_PARAMETER_VALUE");
        assertError(api.get(MLFLOW + "metrics/get-history?run_id=" + runId), 400, "INVALID_PARAMETER_VALUE");
        assertError(api.post(MLFLOW + "runs/log-inputs", "{\"run_id\": \"" + runId + "\"}"), 404, "ENDPOINT_NOT_FOUND");
        var longKey = "k".repeat(251);
        assertError(api.post(MLFLOW + "runs/log-parameter", "{\"run_id\": \"" + runId + "\", \"key\": \"" + longKey
                + "\", \"value\": \"1\"}"), 400, "INVALID_PARAMETER_VALUE");
        // log-batch's body is at most 1 MB, as MLflow's; the refused batch logs nothing.
        String bigValue = "v".repeat(5000);
        var params = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            params.append(i == 0 ? "" : ",").append("{\"key\": \"p").append(i).append("\", \"value\": \"").append(bigValue).append("\"}");
        }
        var tags = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            tags.append(i == 0 ? "" : ",").append("{\"key\": \"t").append(i).append("\", \"value\": \"").append(bigValue).append("\"}");
        }
        var tooBig = api.post(MLFLOW + "runs/log-batch", "{\"run_id\": \"" + runId + "\", \"params\": [" + params + "], \"tags\": [" + tags + "]}");
        assertError(tooBig, 400, "INVALID_PARAMETER_VALUE");
        assertThat(tooBig.json().get("message").asString()).contains("at most 1000000 bytes");
        assertThat(api.get(MLFLOW + "runs/get?run_id=" + runId).body()).doesNotContain("\"p1\"");
        var accepted = api.post(MLFLOW + "runs/log-batch", "{\"run_id\": \"" + runId + "\", \"params\": [" + params.substring(0,
                params.indexOf("{\"key\": \"p30\"") - 1) + "]}");
        assertThat(accepted.status()).as("30 params of 5000 characters").isEqualTo(200);
        // A run's params are its config, which holds 1,000,000 characters in all: a whole batch of 100 long params fits,
        // and the config past the limit is refused naming it, never a 500.
        assertThat(api.post(MLFLOW + "runs/log-batch", "{\"run_id\": \"" + runId + "\", \"params\": [" + params + "]}").status())
                .as("100 params of 5000 characters").isEqualTo(200);
        var beyond = api.post(MLFLOW + "runs/log-batch", batch(runId, 0, 100, 0, "q", "v".repeat(6000)));
        assertError(beyond, 400, "INVALID_PARAMETER_VALUE");
        assertThat(beyond.json().get("message").asString()).contains("at most 1000000 characters");
        assertThat(api.get(MLFLOW + "runs/get?run_id=" + runId).body()).contains("\"p99\"").doesNotContain("\"q1\"");
    }

    /** log-batch's limits as MLflow's server has them: at the limit a batch is logged, one beyond it names the limit and logs nothing. */
    @Test
    void logBatchsLimitsEachNameTheirLimit() {
        String runId = api.post(MLFLOW + "runs/create", "{}").json().get("run").get("info").get("run_id").asString();
        var atLimits = api.post(MLFLOW + "runs/log-batch", batch(runId, 800, 100, 100, "p", "v".repeat(6000)));
        assertThat(atLimits.status()).as("800 metrics, 100 params of 6000 characters, 100 tags: %s", atLimits.body())
                .isEqualTo(200);
        JsonNode data = api.get(MLFLOW + "runs/get?run_id=" + runId).json().get("run").get("data");
        assertThat(data.get("params").size()).isEqualTo(100);
        assertThat(data.get("params").get(0).get("value").asString()).hasSize(6000);
        assertThat(api.get(MLFLOW + "metrics/get-history?run_id=" + runId + "&metric_key=m").json().get("metrics").size())
                .isEqualTo(800);

        String other = api.post(MLFLOW + "runs/create", "{}").json().get("run").get("info").get("run_id").asString();
        assertBatchRefused(api.post(MLFLOW + "runs/log-batch", batch(other, 801, 100, 100, "p", "v")),
                "at most 1000 metrics, params, and tags in total; this one has 1001");
        assertBatchRefused(api.post(MLFLOW + "runs/log-batch", batch(other, 0, 101, 0, "p", "v")), "at most 100 params; this one has 101");
        assertBatchRefused(api.post(MLFLOW + "runs/log-batch", batch(other, 0, 0, 101, "p", "v")), "at most 100 tags; this one has 101");
        assertBatchRefused(api.post(MLFLOW + "runs/log-batch", batch(other, 0, 1, 0, "p", "v".repeat(6001))),
                "is 6001 characters; at most 6000 are allowed");
        assertBatchRefused(api.post(MLFLOW + "runs/log-batch", batch(other, 0, 1, 0, "k".repeat(251), "v")),
                "at most 250 are allowed");
        JsonNode untouched = api.get(MLFLOW + "runs/get?run_id=" + other).json().get("run").get("data");
        assertThat(untouched.path("params").size()).as("a refused batch logs nothing").isZero();
        assertThat(untouched.path("metrics").size()).isZero();
    }

    /** A log-batch body of {@code metrics} points of key m, {@code params} params key+i = value and {@code tags} tags t+i. */
    private static String batch(String runId, int metrics, int params, int tags, String key, String value) {
        var body = new StringBuilder("{\"run_id\": \"").append(runId).append("\", \"metrics\": [");
        for (int i = 0; i < metrics; i++) {
            body.append(i == 0 ? "" : ",").append("{\"key\": \"m\", \"value\": ").append(i).append(", \"timestamp\": ")
                    .append(1_700_000_000_000L + i).append(", \"step\": ").append(i).append("}");
        }
        body.append("], \"params\": [");
        for (int i = 0; i < params; i++) {
            body.append(i == 0 ? "" : ",").append("{\"key\": \"").append(params == 1 ? key : key + i).append("\", \"value\": \"")
                    .append(value).append("\"}");
        }
        body.append("], \"tags\": [");
        for (int i = 0; i < tags; i++) {
            body.append(i == 0 ? "" : ",").append("{\"key\": \"t").append(i).append("\", \"value\": \"x\"}");
        }
        return body.append("]}").toString();
    }

    private static void assertBatchRefused(Api.Response response, String message) {
        assertError(response, 400, "INVALID_PARAMETER_VALUE");
        assertThat(response.json().get("message").asString()).contains(message);
    }

    @Test
    void endingsMapOntoTrainyardsStates() {
        String runId = api.post(MLFLOW + "runs/create", "{}").json().get("run").get("info").get("run_id").asString();
        var killed = api.post(MLFLOW + "runs/update", "{\"run_id\": \"" + runId + "\", \"status\": \"KILLED\", \"end_time\": 5}");
        assertThat(killed.status()).as(killed.body()).isEqualTo(200);
        assertThat(killed.json().get("run_info").get("status").asString()).isEqualTo("FAILED");
        assertThat(api.get("/api/v1/runs/" + runId).json().get("state").asString()).isEqualTo("FAILED");
        var again = api.post(MLFLOW + "runs/update", "{\"run_id\": \"" + runId + "\", \"status\": \"RUNNING\", \"run_name\": \"retry\"}");
        assertThat(again.json().get("run_info").get("status").asString()).isEqualTo("RUNNING");
        assertThat(again.json().get("run_info").get("run_name").asString()).isEqualTo("retry");
        assertThat(api.get("/api/v1/runs/" + runId).json().get("state").asString()).isEqualTo("RUNNING");
    }

    @Test
    void aRunMadeThroughTrainyardsApiReadsAsAnMlflowRun() {
        var created = api.post("/api/v1/runs", """
                {"project": "native", "name": "plain", "config": {"lr": 0.01, "model": {"hidden": 35, "cell": "gru"}}}""");
        String runId = created.json().get("id").asString();
        assertThat(api.post("/api/v1/runs/" + runId + "/metrics", """
                {"points": [{"key": "loss", "step": 0, "value": 2.0}, {"key": "loss", "step": 1, "value": 1.0}]}""").status())
                .isLessThan(300);

        JsonNode run = api.get(MLFLOW + "runs/get?run_id=" + runId).json().get("run");
        String experimentId = run.get("info").get("experiment_id").asString();
        assertThat(api.get(MLFLOW + "experiments/get?experiment_id=" + experimentId).json().get("experiment").get("name").asString())
                .isEqualTo("native");
        assertThat(run.get("data").get("params").toString()).contains("{\"key\":\"lr\",\"value\":\"0.01\"}")
                .contains("{\"key\":\"model.hidden\",\"value\":\"35\"}").contains("{\"key\":\"model.cell\",\"value\":\"gru\"}");
        var history = api.get(MLFLOW + "metrics/get-history?run_id=" + runId + "&metric_key=loss").json().get("metrics");
        assertThat(history.size()).isEqualTo(2);
        assertThat(history.get(1).get("value").asDouble()).isEqualTo(1.0);
        var found = api.post(MLFLOW + "runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"], "
                + "\"filter\": \"params.`model.cell` = 'gru' and metrics.loss < 1.5\"}").json().get("runs");
        assertThat(found.size()).isEqualTo(1);
        assertThat(found.get(0).get("info").get("run_id").asString()).isEqualTo(runId);
    }

    private static void assertError(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.json().get("error_code").asString()).as(response.body()).isEqualTo(code);
        assertThat(response.json().get("message").asString()).isNotBlank();
    }
}
