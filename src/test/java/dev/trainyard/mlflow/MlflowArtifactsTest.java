package dev.trainyard.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import dev.trainyard.support.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * MLflow's artifact proxy at the HTTP level, in the shapes of the Python client's
 * HttpArtifactRepository (mlflow/store/artifact/http_artifact_repo.py): PUT of the file's bytes to
 * {@code <artifact uri>/<path>}, GET of the same to download, and GET {@code ?path=} to list. The
 * Java client cannot be used here: its logArtifact, listArtifacts and downloadArtifacts shell out
 * to the Python {@code mlflow} CLI.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "trainyard.artifacts.max-file-size=64KB")
class MlflowArtifactsTest {

    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";
    private static final int LIMIT = 64 * 1024;

    @LocalServerPort
    int port;
    Api api;
    String runId;
    /** The run's folder in the proxy's paths: its artifact URI without the scheme. */
    String root;

    @BeforeEach
    void run() {
        api = new Api(port);
        JsonNode info = api.post("/api/2.0/mlflow/runs/create", "{}").json().get("run").get("info");
        runId = info.get("run_id").asString();
        String uri = info.get("artifact_uri").asString();
        assertThat(uri).isEqualTo("mlflow-artifacts:/0/" + runId + "/artifacts");
        root = uri.substring("mlflow-artifacts:/".length());
    }

    @Test
    void uploadListAndDownload() {
        byte[] png = new byte[10_000];
        new Random(7).nextBytes(png);
        assertThat(api.put(PROXY + root + "/plots/loss.png", png).status()).isEqualTo(200);
        assertThat(api.put(PROXY + root + "/notes%20v1.txt", "first".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        var replaced = api.put(PROXY + root + "/notes%20v1.txt", "second try".getBytes(StandardCharsets.UTF_8));
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json().size()).isZero();

        JsonNode top = api.get(PROXY.substring(0, PROXY.length() - 1) + "?path=" + root).json().get("files");
        assertThat(top.toString()).isEqualTo("[{\"path\":\"notes v1.txt\",\"is_dir\":false,\"file_size\":10},"
                + "{\"path\":\"plots\",\"is_dir\":true}]");
        JsonNode plots = api.get("/api/2.0/mlflow-artifacts/artifacts?path=" + root + "/plots").json().get("files");
        assertThat(plots.toString()).isEqualTo("[{\"path\":\"loss.png\",\"is_dir\":false,\"file_size\":10000}]");
        assertThat(api.get("/api/2.0/mlflow-artifacts/artifacts?path=" + root + "/nothing-here").json().get("files").size()).isZero();

        var download = api.bytes(PROXY + root + "/plots/loss.png");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(png);
        assertThat(api.bytes("/ajax-api/2.0/mlflow-artifacts/artifacts/" + root + "/notes%20v1.txt").body())
                .asString(StandardCharsets.UTF_8).isEqualTo("second try");
        var missing = api.get(PROXY + root + "/plots/nope.png");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error_code").asString()).isEqualTo("RESOURCE_DOES_NOT_EXIST");

        // The run page lists both with download links, which serve the same bytes.
        String page = api.get("/runs/" + runId).body();
        assertThat(page).contains("href=\"/api/v1/runs/" + runId + "/artifacts/plots/loss.png\"")
                .contains("href=\"/api/v1/runs/" + runId + "/artifacts/notes%20v1.txt\"");
        assertThat(api.bytes("/api/v1/runs/" + runId + "/artifacts/plots/loss.png").body()).isEqualTo(png);
        assertThat(api.get("/api/v1/runs/" + runId + "/artifacts").json().toString())
                .contains("{\"path\":\"plots/loss.png\",\"directory\":false,\"size\":10000}");
    }

    @Test
    void noPathLeavesTheRunsFolder() throws Exception {
        for (String escape : new String[] {"../../../escaped.txt", "%2e%2e/%2e%2e/escaped.txt", "a/%2F..%2F..%2Fescaped.txt",
                "a/..%5C..%5Cescaped.txt"}) {
            var refused = api.put(PROXY + root + "/" + escape, "x".getBytes(StandardCharsets.UTF_8));
            assertThat(refused.status()).as(escape + ": " + refused.body()).isEqualTo(400);
        }
        for (String escape : new String[] {root + "/../../other", root + "/..", "/etc", root + "/a\\..\\..\\b"}) {
            var refused = api.get("/api/2.0/mlflow-artifacts/artifacts?path=" + Api.encode(escape));
            assertThat(refused.status()).as(escape).isEqualTo(400);
            assertThat(refused.json().get("error_code").asString()).isEqualTo("INVALID_PARAMETER_VALUE");
        }
        // Paths that name no run's artifacts folder, or another experiment's run.
        assertThat(api.put(PROXY + "0/" + runId + "/elsewhere.txt", new byte[1]).status()).isEqualTo(400);
        assertThat(api.put(PROXY + "0/00000000000000000000000000000000/artifacts/a.txt", new byte[1]).status()).isEqualTo(404);
        assertThat(api.put(PROXY + "12345/" + runId + "/artifacts/a.txt", new byte[1]).status()).isEqualTo(404);
        try (var files = Files.walk(Path.of("target/test-data"))) {
            assertThat(files.map(Path::toString)).noneMatch(p -> p.contains("escaped"));
        }
    }

    @Test
    void anUploadOverTheLimitIsA413AndKeepsNothing() {
        var tooBig = api.put(PROXY + root + "/big.bin", new byte[LIMIT + 1]);
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.json().get("error_code").asString()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        assertThat(tooBig.json().get("message").asString()).contains("trainyard.artifacts.max-file-size");
        // Without a Content-Length the limit is found while streaming.
        var chunked = api.putChunked(PROXY + root + "/big.bin", new byte[LIMIT + 1]);
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(api.get("/api/2.0/mlflow-artifacts/artifacts?path=" + root).json().get("files").size()).isZero();

        assertThat(api.putChunked(PROXY + root + "/big.bin", new byte[LIMIT]).status()).isEqualTo(200);
        assertThat(api.get("/api/2.0/mlflow-artifacts/artifacts?path=" + root).json().get("files").toString())
                .isEqualTo("[{\"path\":\"big.bin\",\"is_dir\":false,\"file_size\":" + LIMIT + "}]");
    }

    /** Trainyard's DELETE removes a run for good, and its artifact files with it. */
    @Test
    void deletingARunForGoodRemovesItsFiles() {
        assertThat(api.put(PROXY + root + "/a/b.txt", new byte[] {1}).status()).isEqualTo(200);
        Path folder = Path.of("target/test-data/artifacts", runId);
        assertThat(folder.resolve("a/b.txt")).exists();
        assertThat(api.delete("/api/v1/runs/" + runId).status()).isLessThan(300);
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(folder));
    }

    @Test
    void aJobsTrainedModelIsOneOfItsArtifacts() {
        String job = api.post("/api/v1/runs", "{\"project\": \"artifacts\", \"job\": {\"model\": \"seed-rnn\", \"epochs\": 2}}")
                .json().get("id").asString();
        await().atMost(Duration.ofSeconds(120))
                .until(() -> api.get("/api/v1/runs/" + job).json().get("state").asString().equals("FINISHED"));
        String jobRoot = api.get("/api/2.0/mlflow/runs/get?run_id=" + job).json().get("run").get("info").get("artifact_uri")
                .asString().substring("mlflow-artifacts:/".length());
        byte[] model = api.bytes("/api/v1/runs/" + job + "/model").body();
        assertThat(model).isNotEmpty();

        assertThat(api.get("/api/2.0/mlflow-artifacts/artifacts?path=" + jobRoot).json().get("files").toString())
                .isEqualTo("[{\"path\":\"model\",\"is_dir\":true}]");
        assertThat(api.get("/api/2.0/mlflow-artifacts/artifacts?path=" + jobRoot + "/model").json().get("files").toString())
                .isEqualTo("[{\"path\":\"trainyard.model\",\"is_dir\":false,\"file_size\":" + model.length + "}]");
        assertThat(api.bytes(PROXY + jobRoot + "/model/trainyard.model").body()).isEqualTo(model);
        assertThat(api.put(PROXY + jobRoot + "/model/trainyard.model", new byte[1]).status()).as("read-only").isEqualTo(400);
        assertThat(api.get("/runs/" + job).body()).contains("/api/v1/runs/" + job + "/artifacts/model/trainyard.model");
    }
}
