package dev.trainyard.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.trainyard.support.Api;
import dev.trainyard.support.HtmlTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Runs logged through MLflow's API where Trainyard's own runs go: the runs table sorts and filters
 * them by param (a string in MLflow, compared as the number it spells) and by metric, the compare
 * page sets them beside a run of Trainyard's own API, their series export as CSV, and a script
 * that goes silent is CRASHED, then RUNNING again when it logs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"trainyard.runs.crash-after=1m", "trainyard.runs.crash-check-interval=200ms", "trainyard.workers.count=0"})
class MlflowRunsInTheDashboardTest {

    private static final String MLFLOW = "/api/2.0/mlflow/";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    Api api;
    String experimentId;

    @BeforeEach
    void experiment() {
        api = new Api(port);
        experimentId = api.post(MLFLOW + "experiments/create", "{\"name\": \"mlflow dashboard " + System.nanoTime() + "\"}").json()
                .get("experiment_id").asString();
    }

    @Test
    void theRunsTableFiltersAndSortsMlflowRunsByParamAndMetric() {
        String nine = finishedRun("batch-nine", "9", 0.9, 0.5);
        finishedRun("batch-ten", "10", 0.7, 0.2);
        String slug = api.get("/api/v1/runs/" + nine).json().get("project").asString();

        // "9" < "10" only as numbers: as text the order would be the other way round.
        String byBatch = page(slug, "col=config.batch&sort=config.batch");
        assertThat(byBatch.indexOf(">batch-nine<")).isPositive().isLessThan(byBatch.indexOf(">batch-ten<"));
        assertThat(HtmlTable.row(byBatch, "batch-ten")).contains(">10<");
        String byBatchDown = page(slug, "col=config.batch&sort=config.batch,desc");
        assertThat(byBatchDown.indexOf(">batch-ten<")).isPositive().isLessThan(byBatchDown.indexOf(">batch-nine<"));
        assertThat(page(slug, "f=" + Api.encode("config.batch>9.5"))).contains(">batch-ten<").doesNotContain(">batch-nine<");
        assertThat(page(slug, "f=" + Api.encode("config.batch=9"))).contains(">batch-nine<").doesNotContain(">batch-ten<");

        String byLoss = page(slug, "col=summary.loss:min&sort=summary.loss:min");
        assertThat(byLoss.indexOf(">batch-ten<")).isPositive().isLessThan(byLoss.indexOf(">batch-nine<"));
        assertThat(HtmlTable.row(byLoss, "batch-ten")).contains(">0.2000<");
        assertThat(page(slug, "f=" + Api.encode("loss:min<0.3"))).contains(">batch-ten<").doesNotContain(">batch-nine<");
    }

    @Test
    void theComparePageSetsAnMlflowRunBesideOneOfTrainyardsOwnApi() {
        String mlflowRun = finishedRun("from-mlflow", "32", 0.8, 0.3);
        String nativeRun = api.post("/api/v1/runs", "{\"project\": \"mlflow-compare\", \"name\": \"from-trainyard\", "
                + "\"config\": {\"batch\": 64}}").json().get("id").asString();
        api.post("/api/v1/runs/" + nativeRun + "/metrics", "{\"points\": [{\"key\": \"loss\", \"step\": 0, \"value\": 0.6},"
                + " {\"key\": \"loss\", \"step\": 1, \"value\": 0.4}]}");

        var page = api.get("/compare?runs=" + mlflowRun + "," + nativeRun, "text/html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains(">from-mlflow<").contains(">from-trainyard<").contains("batch");
        JsonNode series = api.get("/api/v1/metrics?runs=" + mlflowRun + "," + nativeRun + "&key=loss").json();
        assertThat(series.get(mlflowRun).get("points").size()).isEqualTo(2);
        assertThat(series.get(nativeRun).get("points").size()).isEqualTo(2);
        var csv = api.get("/api/v1/runs/" + mlflowRun + "/metrics/loss.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body().lines().skip(1).map(line -> String.join(",", List.of(line.split(",")).subList(0, 2))))
                .as("the CSV export, step and value").containsExactly("0,0.8", "1,0.3");
    }

    @Test
    void aSilentScriptsMlflowRunIsCrashedThenRunningAgainWhenItLogs() {
        String runId = api.post(MLFLOW + "runs/create", "{\"experiment_id\": \"" + experimentId + "\", \"run_name\": \"silent\"}").json()
                .get("run").get("info").get("run_id").asString();
        logLoss(runId, 0, 1.0);
        // MLflow's clients send no heartbeat: the last sign of life is the last call, here over a minute ago.
        jdbc.update("update run set heartbeat_at = ? where id = ?", Timestamp.from(Instant.now().minusSeconds(61)), runId);

        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/runs/" + runId).json().get("state").asString().equals("CRASHED"));
        assertThat(api.get(MLFLOW + "runs/get?run_id=" + runId).json().get("run").get("info").get("status").asString())
                .as("MLflow has no CRASHED; its clients read FAILED").isEqualTo("FAILED");

        logLoss(runId, 1, 0.5);
        assertThat(api.get("/api/v1/runs/" + runId).json().get("state").asString()).isEqualTo("RUNNING");
        assertThat(api.get(MLFLOW + "runs/get?run_id=" + runId).json().get("run").get("info").get("status").asString())
                .isEqualTo("RUNNING");
    }

    /** A run as an MLflow script leaves it: a param, two losses, FINISHED. */
    private String finishedRun(String name, String batch, double firstLoss, double lastLoss) {
        String runId = api.post(MLFLOW + "runs/create", "{\"experiment_id\": \"" + experimentId + "\", \"run_name\": \"" + name + "\"}")
                .json().get("run").get("info").get("run_id").asString();
        assertThat(api.post(MLFLOW + "runs/log-parameter", "{\"run_id\": \"" + runId + "\", \"key\": \"batch\", \"value\": \"" + batch
                + "\"}").status()).isEqualTo(200);
        logLoss(runId, 0, firstLoss);
        logLoss(runId, 1, lastLoss);
        assertThat(api.post(MLFLOW + "runs/update", "{\"run_id\": \"" + runId + "\", \"status\": \"FINISHED\"}").status()).isEqualTo(200);
        return runId;
    }

    private void logLoss(String runId, int step, double value) {
        var logged = api.post(MLFLOW + "runs/log-metric", "{\"run_id\": \"" + runId + "\", \"key\": \"loss\", \"value\": " + value
                + ", \"timestamp\": " + System.currentTimeMillis() + ", \"step\": " + step + "}");
        assertThat(logged.status()).as(logged.body()).isEqualTo(200);
    }

    private String page(String slug, String query) {
        var response = api.get("/projects/" + slug + "?" + query, "text/html");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
