package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import dev.trainyard.support.Api;
import dev.trainyard.support.Postgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two nodes, each in its own JVM, on one PostgreSQL database. The one that trains a job dies
 * (SIGKILL) mid-job while a script logs to it. The job goes back to the queue once its lease runs
 * out and the other node trains it to the end; nothing either of them had committed is gone.
 */
class WorkerKilledOnPostgresTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration POLL = Duration.ofMillis(500);
    /** For a busy machine: the reaper's thread shares 2 cores with everything else that runs. */
    private static final Duration SLACK = Duration.ofMillis(1500);
    private static final int EPOCHS = 5000;
    private static final List<String> KEYS = List.of("accuracy", "epoch_ms", "loss");

    @TempDir
    Path data;

    @BeforeAll
    static void postgresAvailable() {
        Postgres.assumeAvailable();
    }

    @Test
    void theJobOfAKilledNodeIsRequeuedAfterItsLeaseAndFinishesOnTheOtherNode() throws Exception {
        try (var nodes = new PostgresNodes(data, "--trainyard.workers.count=1", "--trainyard.workers.lease=" + LEASE.toMillis() + "ms",
                "--trainyard.workers.heartbeat-interval=500ms", "--trainyard.workers.poll-interval=" + POLL.toMillis() + "ms")) {
            var both = nodes.children(List.of("a", "b"));
            String job = PostgresNodes.createJob(both.get(0).api(), EPOCHS);
            await().atMost(Duration.ofMinutes(2)).until(() -> both.stream().anyMatch(n -> n.trains(job, 1)));
            var victim = both.get(0).trains(job, 1) ? both.get(0) : both.get(1);
            var survivor = victim == both.get(0) ? both.get(1) : both.get(0);
            var api = survivor.api();
            var stored = new StoredRun(nodes.jdbc(), job);

            String script = victim.api().post("/api/v1/runs", "{\"project\": \"crash\", \"name\": \"script\"}").json().get("id").asString();
            var acknowledged = new AtomicLong();
            var logging = new AtomicBoolean(true);
            var logger = CompletableFuture.runAsync(() -> logUntilRefused(victim.api(), script, logging, acknowledged));

            await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.get() > 0 && total(api, job, "loss") > 0);
            Map<String, JsonNode> seenBeforeTheKill = new HashMap<>();
            for (String key : KEYS) {
                seenBeforeTheKill.put(key, api.get("/api/v1/runs/" + job + "/metrics/" + key + "?maxPoints=100000").json());
            }
            String victimNode = stored.owner();

            victim.server().kill();
            logging.set(false);
            logger.get(30, TimeUnit.SECONDS);
            var lastHeartbeat = stored.heartbeatAt();
            assertThat(stored.epoch()).as("the victim was killed mid-job").isLessThan(EPOCHS);

            await().atMost(Duration.ofMinutes(3)).until(() -> PostgresNodes.state(api, job).matches("FINISHED|FAILED"));
            assertThat(PostgresNodes.state(api, job)).isEqualTo("FINISHED");
            assertThat(survivor.trains(job, 2)).as("the survivor took the job over").isTrue();
            assertThat(stored.owner()).as("and trained it to the end").isNotNull().isNotEqualTo(victimNode);
            assertThat(stored.attempts()).isEqualTo(2);
            var changes = stored.stateChanges();
            assertThat(changes).extracting(StoredRun.StateChange::state)
                    .containsExactly("QUEUED", "RUNNING", "QUEUED", "RUNNING", "FINISHED");
            // Not before the lease ran out (a live node's job is never taken), and soon after.
            Duration silence = Duration.between(lastHeartbeat, changes.get(2).at());
            assertThat(silence).as("from the victim's last heartbeat to the requeue")
                    .isGreaterThanOrEqualTo(LEASE).isLessThanOrEqualTo(LEASE.plus(POLL).plus(SLACK));

            // The script's points: every one the victim acknowledged, with its value.
            var history = api.get("/api/v1/runs/" + script + "/metrics/x?maxPoints=100000").json();
            assertThat(history.get("total").asLong()).as("points the victim acknowledged").isGreaterThanOrEqualTo(acknowledged.get());
            for (JsonNode p : history.get("points")) {
                assertThat(p.get("value").asDouble()).isEqualTo(p.get("step").asDouble());
            }
            // The job's points: the survivor trained it again from the first epoch, overwriting the victim's steps,
            // so each step is there once and every step seen before the kill is among them.
            for (String key : KEYS) {
                List<Long> steps = stored.steps(key);
                assertThat(steps).as(key).containsExactlyElementsOf(LongStream.rangeClosed(1, EPOCHS).boxed().toList());
                List<Long> seen = seenBeforeTheKill.get(key).get("points").valueStream().map(p -> p.get("step").asLong()).toList();
                assertThat(seen).as("%s steps seen before the kill", key).isNotEmpty();
                assertThat(steps).containsAll(seen);
            }
        }
    }

    /** Posts 100-point batches with value = step until a request fails, counting the points acknowledged. */
    private static void logUntilRefused(Api api, String run, AtomicBoolean logging, AtomicLong acknowledged) {
        for (long from = 0; logging.get(); from += 100) {
            String body = LongStream.range(from, from + 100).mapToObj(s -> "{\"key\":\"x\",\"step\":" + s + ",\"value\":" + s + "}")
                    .collect(Collectors.joining(",", "{\"points\":[", "]}"));
            try {
                if (api.post("/api/v1/runs/" + run + "/metrics", body).status() != 200) {
                    return;
                }
            } catch (RuntimeException nodeGone) {
                return;
            }
            acknowledged.set(from + 100);
        }
    }

    private static long total(Api api, String id, String key) {
        var history = api.get("/api/v1/runs/" + id + "/metrics/" + key);
        return history.status() == 200 ? history.json().get("total").asLong() : 0;
    }
}
