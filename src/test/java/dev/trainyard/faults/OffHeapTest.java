package dev.trainyard.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import dev.trainyard.support.Api;
import dev.trainyard.support.ChildServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One job asks for more memory than the process has left under its off-heap limit
 * ({@code org.bytedeco.javacpp.maxphysicalbytes}, here 1000 MB, of which the server uses about half)
 * while a small job trains on the other worker. The big job fails alone, saying why; the small one
 * finishes; the server stays healthy; both workers live on; and a job of moderate size trains
 * afterwards, so the big one gave back what it had taken.
 */
class OffHeapTest {

    @TempDir
    Path data;

    @Test
    void aJobThatExhaustsTheOffHeapBudgetFailsAloneAndTheRestCarryOn() {
        var server = new ChildServer(data, ChildServer.logInTarget("OffHeapTest"))
                .jvm("-Dorg.bytedeco.javacpp.maxphysicalbytes=1000m").start("--trainyard.workers.count=2", "--logging.level.dev.trainyard=info");
        try {
            var api = new Api(server.port());
            String small = submit(api, "{\"model\": \"seed-rnn\", \"epochs\": 20000}");
            await().atMost(Duration.ofSeconds(60)).until(() -> epoch(api, small) > 0);

            // ~137 M array elements, within the per-job limits; measured at ~0.8 GB resident, more than is left
            String big = submit(api, "{\"model\": \"gru\", \"dataset\": \"builtin:tales\", \"hidden\": 512, "
                    + "\"sequenceLength\": 200, \"batchSize\": 64, \"epochs\": 3}");
            await().atMost(Duration.ofSeconds(120)).until(() -> !state(api, big).matches("QUEUED|RUNNING"));

            var failed = api.get("/api/v1/runs/" + big).json();
            assertThat(failed.get("state").asString()).isEqualTo("FAILED");
            assertThat(failed.get("error").asString()).contains("off-heap memory exhausted").contains("maxphysicalbytes");
            assertThat(state(api, small)).isIn("RUNNING", "FINISHED");
            assertThat(api.get("/actuator/health").body()).contains("UP");
            await().atMost(Duration.ofMinutes(5)).until(() -> !state(api, small).equals("RUNNING"));
            assertThat(state(api, small)).isEqualTo("FINISHED");

            // ~34 M elements: it fits only if the big job's memory is free again
            String moderate = submit(api, "{\"model\": \"gru\", \"dataset\": \"builtin:tales\", \"hidden\": 512, "
                    + "\"sequenceLength\": 200, \"batchSize\": 16, \"epochs\": 2}");
            String another = submit(api, "{\"model\": \"seed-rnn\", \"epochs\": 5000}");
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                    .until(() -> state(api, moderate).equals("RUNNING") && state(api, another).equals("RUNNING"));
            await().atMost(Duration.ofMinutes(5)).until(() -> !state(api, moderate).matches("QUEUED|RUNNING")
                    && !state(api, another).matches("QUEUED|RUNNING"));
            assertThat(state(api, moderate)).as(api.get("/api/v1/runs/" + moderate).body()).isEqualTo("FINISHED");
            assertThat(state(api, another)).isEqualTo("FINISHED");
        } finally {
            server.stop();
        }
    }

    private static String submit(Api api, String job) {
        var created = api.post("/api/v1/runs", "{\"project\": \"heap\", \"job\": " + job + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private static String state(Api api, String id) {
        return api.get("/api/v1/runs/" + id).json().get("state").asString();
    }

    private static int epoch(Api api, String id) {
        return api.get("/api/v1/runs/" + id).json().path("job").path("progress").path("step").asInt();
    }
}
