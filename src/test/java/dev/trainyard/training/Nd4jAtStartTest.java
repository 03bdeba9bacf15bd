package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.trainyard.support.Api;
import dev.trainyard.support.ChildServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ND4J's natives (about 400 MB once JavaCPP has unpacked them) wait for the first job or generation: a
 * node that only serves the dashboard and the API never loads them. Each server runs in a JVM of its
 * own that logs every class it loads, since in this JVM other tests may have trained already.
 */
class Nd4jAtStartTest {

    /** ND4J's entry point, the backend it initialises, and JavaCPP's loader of native libraries. */
    private static final List<String> NATIVE_CLASSES = List.of("org.nd4j.linalg.factory.Nd4j ",
            "org.nd4j.linalg.factory.Nd4jBackend ", "org.bytedeco.javacpp.Loader ");

    @TempDir
    Path data;

    @Test
    void aWebNodeServesAndQueuesWithoutLoadingNd4j() throws IOException {
        Path classes = data.resolve("classes.log");
        var server = new ChildServer(data).jvm("-Xlog:class+load=info:file=" + classes).start("--trainyard.role=web");
        try {
            var api = new Api(server.port());
            servesAndQueues(api);
            assertThat(loaded(classes)).as("ND4J classes the web node loaded").filteredOn(NATIVE_CLASSES::contains).isEmpty();
        } finally {
            server.stop();
        }
    }

    @Test
    void noWorkersLoadNothingAndTheFirstJobLoadsNd4jAndTrains() throws IOException {
        Path idle = data.resolve("idle-classes.log");
        var server = new ChildServer(data).jvm("-Xlog:class+load=info:file=" + idle).start("--trainyard.workers.count=0");
        String job;
        try {
            job = servesAndQueues(new Api(server.port()));
            assertThat(loaded(idle)).as("ND4J classes a node without workers loaded").filteredOn(NATIVE_CLASSES::contains).isEmpty();
        } finally {
            server.stop();
        }

        // The same data dir with a worker: the queued job is the first ND4J work, and it trains.
        Path working = data.resolve("working-classes.log");
        server = new ChildServer(data).jvm("-Xlog:class+load=info:file=" + working).start();
        try {
            var api = new Api(server.port());
            await().atMost(Duration.ofMinutes(3)).until(() -> api.get("/api/v1/runs/" + job).json().get("state").asString(),
                    "FINISHED"::equals);
            assertThat(api.post("/api/v1/runs/" + job + "/generate", "{}").status()).isEqualTo(200);
            assertThat(loaded(working)).as("ND4J classes the node loaded once it trained").filteredOn(NATIVE_CLASSES::contains)
                    .containsExactlyInAnyOrderElementsOf(NATIVE_CLASSES);
        } finally {
            server.stop();
        }
    }

    /** The dashboard, the API and a queued job, as a first visit would use them; returns the job's run id. */
    private static String servesAndQueues(Api api) {
        assertThat(api.get("/projects").status()).isEqualTo(200);
        String run = api.post("/api/v1/runs", "{\"project\": \"lazy\", \"name\": \"external\"}").json().get("id").asString();
        assertThat(api.post("/api/v1/runs/" + run + "/metrics", "{\"points\": [{\"key\": \"loss\", \"step\": 1, \"value\": 0.5}]}")
                .status()).isEqualTo(200);
        assertThat(api.get("/runs/" + run).status()).isEqualTo(200);
        var queued = api.post("/api/v1/runs", "{\"project\": \"lazy\", \"job\": {\"model\": \"seed-rnn\", \"steps\": 50}}");
        assertThat(queued.status()).isEqualTo(201);
        String job = queued.json().get("id").asString();
        assertThat(api.get("/api/v1/runs/" + job).json().get("state").asString()).isEqualTo("QUEUED");
        return job;
    }

    /** Class names as -Xlog:class+load writes them, each followed by a space. */
    private static List<String> loaded(Path log) throws IOException {
        return Files.readAllLines(log).stream()
                .filter(line -> line.contains("[class,load] "))
                .map(line -> line.substring(line.indexOf("[class,load] ") + "[class,load] ".length()))
                .map(rest -> rest.substring(0, rest.indexOf(' ') + 1))
                .toList();
    }
}
