package dev.trainyard.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.trainyard.support.Api;
import dev.trainyard.support.ChildServer;
import dev.trainyard.support.Multipart;
import dev.trainyard.support.SmallDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk fills up under a running server, on real (tmpfs) filesystems: first the data directory's
 * (uploads and models), then the embedded database's. Every write is refused with a 507 problem
 * naming the cause, or a job fails saying why; nothing half-written stays behind; every point
 * acknowledged before or in between is still there, also after a restart; and once space is freed
 * the server works as before, by itself. Needs root to mount: see {@link SmallDisk}.
 */
class DiskFullTest {

    private static final String NO_SPACE = "No space left on device";
    private static final int BATCH = 100;

    @TempDir
    Path work;

    private Api api;
    private String run;
    private long acknowledged;

    @Test
    void aFullDiskRefusesWritesClearlyKeepsWhatWasAcknowledgedAndRecovers() throws Exception {
        try (var data = SmallDisk.mount(work.resolve("data"), "16m"); var db = SmallDisk.mount(work.resolve("db"), "32m")) {
            // The database on a disk of its own, as PostgreSQL or a separate volume would be, so each can fill alone.
            String[] settings = {"--trainyard.workers.count=1", "--spring.datasource.url=jdbc:h2:file:" + db.dir().resolve("trainyard")
                    + ";WRITE_DELAY=0;AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE"};
            var server = new ChildServer(data.dir(), ChildServer.logInTarget("DiskFullTest"))
                    .start(settings);
            try {
                api = new Api(server.port());
                run = api.post("/api/v1/runs", "{\"project\": \"disk\", \"name\": \"acknowledged\"}").json().get("id").asString();
                for (int i = 0; i < 5; i++) {
                    assertThat(logBatch().status()).isEqualTo(200);
                }
                String kept = upload("kept.txt").json().get("id").asString();

                dataDiskFills(data, kept);
                databaseDiskFills(data, db);

                server.stop();
                server.start(settings);
                api = new Api(server.port());
                assertThat(storedPoints()).as("acknowledged points after a restart").isEqualTo(acknowledged);
            } finally {
                server.stop();
            }
        }
    }

    private void dataDiskFills(SmallDisk data, String kept) {
        data.fill();

        var refused = upload("more.txt");
        assertThat(refused.status()).as(refused.body()).isEqualTo(507);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asString()).contains(NO_SPACE);
        assertThat(data.files("datasets")).as("no half-written upload").containsExactly(kept + ".txt");

        String job = submitJob();
        await().atMost(Duration.ofSeconds(120)).until(() -> state(job).equals("FAILED"));
        assertThat(api.get("/api/v1/runs/" + job).json().get("error").asString())
                .contains("model could not be saved").contains(NO_SPACE);
        assertThat(lossPoints(job)).as("the failed job's metrics are kept").isEqualTo(30);
        assertThat(data.files("models")).as("no half-written model").isEmpty();
        assertThat(storedPoints()).isEqualTo(acknowledged);

        data.free();

        assertThat(upload("more.txt").status()).isEqualTo(201);
        String next = submitJob();
        await().atMost(Duration.ofSeconds(120)).until(() -> state(next).equals("FINISHED"));
        assertThat(api.get("/api/v1/runs/" + next + "/model").status()).isEqualTo(200);
    }

    private void databaseDiskFills(SmallDisk data, SmallDisk db) {
        List<String> uploaded = new ArrayList<>(data.files("datasets"));
        db.fill();

        // H2 first fills the free pages inside its file (compaction keeps making some): those writes are kept.
        // Then writes are refused with a 507, though a small one may still find a page now and then.
        for (int refusals = 0; refusals < 2; refusals++) {
            var refused = firstRefused(this::logBatch);
            assertThat(refused.status()).as(refused.body()).isEqualTo(507);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("detail").asString()).contains(NO_SPACE);
        }
        var refusedUpload = firstRefused(() -> {
            var upload = upload("more.txt");
            if (upload.status() == 201) {
                uploaded.add(upload.json().get("id").asString() + ".txt");
            }
            return upload;
        });
        assertThat(refusedUpload.status()).as(refusedUpload.body()).isEqualTo(507);
        assertThat(data.files("datasets")).as("an upload whose row was refused leaves no file")
                .containsExactlyInAnyOrderElementsOf(uploaded);

        db.free();

        await().atMost(Duration.ofSeconds(60)).until(() -> logBatch().status() == 200);
        assertThat(api.get("/actuator/health").body()).contains("UP");
        assertThat(upload("more.txt").status()).isEqualTo(201);
        String job = submitJob();
        await().atMost(Duration.ofSeconds(120)).until(() -> state(job).equals("FINISHED"));
        assertThat(storedPoints()).isEqualTo(acknowledged);
    }

    /** The first response of up to 1,000 tries that is not a success, failing the test if every try succeeded. */
    private static Api.Response firstRefused(Supplier<Api.Response> write) {
        for (int i = 0; i < 1000; i++) {
            var response = write.get();
            if (response.status() >= 300) {
                return response;
            }
        }
        throw new AssertionError("the database's disk never filled: 1,000 writes in a row succeeded");
    }

    /** The next {@value #BATCH} steps; counted as acknowledged only on a 200. */
    private Api.Response logBatch() {
        long from = acknowledged;
        String body = IntStream.range(0, BATCH).mapToObj(i -> "{\"key\": \"x\", \"step\": " + (from + i) + ", \"value\": " + i + "}")
                .collect(Collectors.joining(", ", "{\"points\": [", "]}"));
        var response = api.post("/api/v1/runs/" + run + "/metrics", body);
        if (response.status() == 200) {
            acknowledged += BATCH;
        }
        return response;
    }

    private long storedPoints() {
        var history = api.get("/api/v1/runs/" + run + "/metrics/x?maxPoints=100000");
        assertThat(history.status()).as(history.body()).isEqualTo(200);
        return history.json().get("total").asLong();
    }

    private Api.Response upload(String name) {
        byte[] text = "Once upon a time a quiet fox lived by the river.\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        return Multipart.post(api.uri("/api/v1/datasets"), name, "text/plain", text);
    }

    private String submitJob() {
        return api.post("/api/v1/runs", "{\"project\": \"disk\", \"job\": {\"model\": \"seed-rnn\", \"epochs\": 30}}")
                .json().get("id").asString();
    }

    private String state(String id) {
        return api.get("/api/v1/runs/" + id).json().get("state").asString();
    }

    private long lossPoints(String id) {
        return api.get("/api/v1/runs/" + id + "/metrics/loss?maxPoints=100000").json().get("total").asLong();
    }
}
