package dev.trainyard.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.trainyard.support.Api;
import dev.trainyard.support.ChildServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL the server while 4 clients log and 2 jobs train, then start it again: every point that
 * got a 200 is there, and no run is left RUNNING.
 */
class KillRecoveryTest {

    @TempDir
    Path data;

    @Test
    void nothingAcknowledgedIsLostAndNoJobIsStuck() throws Exception {
        var server = new ChildServer(data).start("--trainyard.workers.count=2");
        var api = new Api(server.port());
        try {
            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                jobs.add(api.post("/api/v1/runs", "{\"project\": \"crash\", \"job\": {\"model\": \"seed-rnn\", \"epochs\": 3000}}")
                        .json().get("id").asString());
            }
            List<String> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(api.post("/api/v1/runs", "{\"project\": \"crash\", \"name\": \"client-" + i + "\"}").json().get("id").asString());
            }
            var acknowledged = new ConcurrentHashMap<String, Integer>();
            var logging = new AtomicBoolean(true);
            var clients = Executors.newFixedThreadPool(4);
            for (String run : runs) {
                clients.submit(() -> {
                    for (int batch = 0; logging.get(); batch++) {
                        int from = batch * 200;
                        String body = IntStream.range(from, from + 200)
                                .mapToObj(s -> "{\"key\":\"x\",\"step\":" + s + ",\"value\":" + s + "}")
                                .collect(Collectors.joining(",", "{\"points\":[", "]}"));
                        try {
                            if (api.post("/api/v1/runs/" + run + "/metrics", body).status() != 200) {
                                return;
                            }
                        } catch (RuntimeException serverGone) {
                            return;
                        }
                        acknowledged.put(run, from + 200);
                    }
                });
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() == 4 && jobs.stream().allMatch(id ->
                    api.get("/api/v1/runs/" + id).json().path("job").path("progress").path("step").asInt() > 0));

            server.kill();
            logging.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            server = new ChildServer(data).start("--trainyard.workers.count=2");
            var after = new Api(server.port());
            for (String run : runs) {
                var history = after.get("/api/v1/runs/" + run + "/metrics/x?maxPoints=100000");
                assertThat(history.status()).as(history.body()).isEqualTo(200);
                long stored = history.json().get("total").asLong();
                assertThat(stored).as("points of %s acknowledged before the kill", run).isGreaterThanOrEqualTo(acknowledged.get(run));
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> jobs.stream().allMatch(id ->
                    after.get("/api/v1/runs/" + id).json().get("state").asString().equals("FINISHED")));
            assertThat(after.get("/api/v1/runs?project=crash&state=RUNNING").json().get("totalElements").asLong())
                    .as("external runs stay RUNNING until they crash-time out; jobs are done").isEqualTo(4);
        } finally {
            server.stop();
        }
    }
}
