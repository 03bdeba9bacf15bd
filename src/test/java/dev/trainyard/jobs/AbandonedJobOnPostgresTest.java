package dev.trainyard.jobs;

import static dev.trainyard.jobs.PostgresNodes.createJob;
import static dev.trainyard.jobs.PostgresNodes.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.trainyard.support.Postgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that takes its worker down every time it starts (as one that exhausts the machine's memory
 * would) is not retried forever: a web node and two worker nodes, each in its own JVM; whichever
 * worker starts the job is killed, and after {@code maxAttempts} such starts the job is FAILED
 * with an error that says why.
 */
class AbandonedJobOnPostgresTest {

    private static final int MAX_ATTEMPTS = 2;

    @TempDir
    Path data;

    @BeforeAll
    static void postgresAvailable() {
        Postgres.assumeAvailable();
    }

    @Test
    void aJobAbandonedMaxAttemptsTimesFailsWithAClearError() {
        try (var nodes = new PostgresNodes(data, "--trainyard.workers.lease=3s", "--trainyard.workers.heartbeat-interval=500ms",
                "--trainyard.workers.poll-interval=500ms", "--trainyard.workers.max-attempts=" + MAX_ATTEMPTS)) {
            var web = nodes.startChild("web", "--trainyard.role=web");
            var workers = nodes.children(List.of("x", "y"), "--trainyard.role=worker");
            var api = web.join().api();
            String job = createJob(api, 100_000);

            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                int current = attempt;
                await().atMost(Duration.ofMinutes(1)).until(() -> workers.stream().anyMatch(w -> w.trains(job, current)));
                workers.stream().filter(w -> w.trains(job, current)).findFirst().orElseThrow().server().kill();
            }

            await().atMost(Duration.ofMinutes(1)).until(() -> state(api, job).matches("FAILED|FINISHED|CANCELLED"));
            var run = api.get("/api/v1/runs/" + job).json();
            assertThat(run.get("state").asString()).isEqualTo("FAILED");
            String error = run.get("error").asString();
            assertThat(error).contains("abandoned", MAX_ATTEMPTS + " times", "max-attempts");
            var stored = new StoredRun(nodes.jdbc(), job);
            assertThat(stored.stateChanges()).extracting(StoredRun.StateChange::state)
                    .containsExactly("QUEUED", "RUNNING", "QUEUED", "RUNNING", "FAILED");
            assertThat(stored.stateChanges().get(4).error()).as("what a live subscriber is told").isEqualTo(error);
            assertThat(stored.attempts()).isEqualTo(MAX_ATTEMPTS);
        }
    }
}
