package dev.trainyard.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.trainyard.support.Api;
import dev.trainyard.support.ChildServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user who moves the H2 file names it by a URL of their own, without {@code WRITE_DELAY=0}.
 * SIGKILL while 8 clients log single points: every acknowledged point is still there, because
 * the application enforces its write policy whatever the URL says.
 */
class WeakDurabilityUrlTest {

    @TempDir
    Path data;

    @Test
    void aUrlWithoutWriteDelayZeroLosesNothingAcknowledged() throws Exception {
        String url = "--spring.datasource.url=jdbc:h2:file:" + data.resolve("moved") + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE";
        var server = new ChildServer(data).start(url);
        var api = new Api(server.port());
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            runs.add(api.post("/api/v1/runs", "{\"project\": \"durable\", \"name\": \"client-" + i + "\"}").json().get("id").asString());
        }
        var acknowledged = new ConcurrentHashMap<String, Integer>();
        var logging = new AtomicBoolean(true);
        var clients = Executors.newFixedThreadPool(8);
        try {
            for (String run : runs) {
                clients.submit(() -> {
                    for (int step = 0; logging.get(); step++) {
                        try {
                            if (api.post("/api/v1/runs/" + run + "/metrics",
                                    "{\"points\":[{\"key\":\"x\",\"step\":" + step + ",\"value\":" + step + "}]}").status() != 200) {
                                return;
                            }
                        } catch (RuntimeException serverGone) {
                            return;
                        }
                        acknowledged.put(run, step + 1);
                    }
                });
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> runs.stream().allMatch(r -> acknowledged.getOrDefault(r, 0) >= 100));
            server.kill();
        } finally {
            logging.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        server = new ChildServer(data).start(url);
        try {
            var after = new Api(server.port());
            long lost = 0;
            for (String run : runs) {
                long stored = after.get("/api/v1/runs/" + run + "/metrics/x?maxPoints=100000").json().get("total").asLong();
                lost += Math.max(0, acknowledged.get(run) - stored);
            }
            assertThat(lost).as("acknowledged points lost of %s", acknowledged.values().stream().mapToInt(i -> i).sum()).isZero();
        } finally {
            server.stop();
        }
    }
}
