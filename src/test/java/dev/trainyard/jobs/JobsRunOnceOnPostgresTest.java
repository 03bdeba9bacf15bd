package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import dev.trainyard.support.Api;
import dev.trainyard.support.Postgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * db-scheduler's cluster test for Trainyard: two nodes on one PostgreSQL database race for 100
 * short jobs. Every job is claimed once, trained once and finished once, every epoch is stored and
 * announced once, and both nodes do their share.
 */
class JobsRunOnceOnPostgresTest {

    private static final int JOBS = 100;
    private static final int EPOCHS = 10;

    @TempDir
    Path data;

    @BeforeAll
    static void postgresAvailable() {
        Postgres.assumeAvailable();
    }

    @Test
    void twoNodesTrainEveryJobExactlyOnceAndShareTheWork() {
        try (var nodes = new PostgresNodes(data, "--trainyard.workers.count=1")) {
            var a = nodes.inProcess();
            var b = nodes.inProcess();
            var apis = List.of(new Api(PostgresNodes.port(a)), new Api(PostgresNodes.port(b)));
            var ids = new ArrayList<String>();
            for (int i = 0; i < JOBS; i++) {
                ids.add(PostgresNodes.createJob(apis.get(i % 2), EPOCHS));
            }
            var jdbc = nodes.jdbc();
            await().atMost(Duration.ofMinutes(5)).until(() -> jdbc.queryForObject(
                    "select count(*) from run where state not in ('QUEUED', 'RUNNING')", Integer.class) == JOBS);

            assertThat(jdbc.queryForList("select state from run", String.class)).hasSize(JOBS).containsOnly("FINISHED");
            List<Long> allSteps = LongStream.rangeClosed(1, EPOCHS).boxed().toList();
            for (String id : ids) {
                var run = new StoredRun(jdbc, id);
                assertThat(run.attempts()).as("claims of %s", id).isEqualTo(1);
                assertThat(run.states()).as("state history of %s", id).containsExactly("QUEUED", "RUNNING", "FINISHED");
                for (String key : List.of("accuracy", "epoch_ms", "loss")) {
                    assertThat(run.steps(key)).as("%s steps of %s", key, id).containsExactlyElementsOf(allSteps);
                }
                assertThat(run.announcedPoints()).as("points announced for %s, against those stored", id).isEqualTo(run.storedPoints());
                assertThat(run.progress()).as("progress of %s", id).isSorted().doesNotHaveDuplicates().endsWith((long) EPOCHS);
            }
            assertThat(apis.get(1).get("/api/v1/runs/" + ids.get(0) + "/metrics/loss").json().get("total").asLong())
                    .as("what the API shows").isEqualTo(EPOCHS);

            // Epochs and the finish are only committed for the job's owner, so the owner is who trained it.
            Map<String, Long> jobsPerNode = jdbc.queryForList("select owner from job", String.class).stream()
                    .collect(Collectors.groupingBy(owner -> owner, Collectors.counting()));
            assertThat(jobsPerNode.keySet()).as("jobs per node: %s", jobsPerNode)
                    .containsExactlyInAnyOrder(PostgresNodes.node(a), PostgresNodes.node(b));
        }
    }
}
