package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

import dev.trainyard.tracking.NewRun;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.tracking.RunState;
import dev.trainyard.training.JobSpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** Two real workers, twenty short jobs: each trains exactly once and finishes. */
@SpringBootTest(properties = "trainyard.workers.count=2")
class WorkerPoolTest {

    @Autowired
    RunManagement runs;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void twoWorkersRunTwentyJobsEachExactlyOnce() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(runs.create(new NewRun("pool", "job-" + i, null, null, null,
                    new JobSpec(null, null, 3, 8, null, null, null, null, null, null, null, (long) i, null, null))).getId());
        }

        await().atMost(Duration.ofSeconds(120)).until(() -> ids.stream().allMatch(id -> runs.get(id).getState() == RunState.FINISHED));

        for (String id : ids) {
            assertThat(jdbc.queryForObject("select attempts from job where run_id = ?", Integer.class, id)).as(id).isEqualTo(1);
            assertThat(jdbc.queryForObject("select count(*) from run_event where run_id = ? and type = 'STATE' and payload like '%RUNNING%'",
                    Integer.class, id)).as("started once: %s", id).isEqualTo(1);
            assertThat(jdbc.queryForList("select p.step from metric_point p join metric_series s on s.id = p.series_id "
                    + "where s.run_id = ? and s.metric_key = 'loss' order by p.step",
                    Long.class, id)).containsExactly(1L, 2L, 3L);
        }
        Integer overlapping = jdbc.queryForObject("select count(*) from run a join run b on a.id < b.id "
                + "join project p on p.id = a.project_id and p.id = b.project_id where p.slug = 'pool' "
                + "and a.started_at < b.ended_at and b.started_at < a.ended_at", Integer.class);
        assertThat(overlapping).as("two workers trained side by side").isPositive();
    }

    @Test
    void workersTrainAtALowerCpuPriorityThanRequestsAndTheThreadsThatCommitOrServe() throws IOException {
        String job = runs.create(new NewRun("pool", "priority", null, null, null,
                new JobSpec(null, null, 3, 8, null, null, null, null, null, null, null, 1L, null, null))).getId();
        await().atMost(Duration.ofSeconds(60)).until(() -> runs.get(job).getState() == RunState.FINISHED);

        // Linux names a thread by the first 15 characters of its Java name; native threads a worker
        // starts (OpenMP's) take its name, and its nice value, too
        assertThat(niceOfThreadsNamed("trainyard-worke")).hasSizeGreaterThanOrEqualTo(2).containsOnly(OptionalInt.of(10));
        assertThat(TrainingPriority.currentNice()).as("this thread, like the server's request threads").hasValue(0);
        // epoch commits and heartbeats, generation, live streams: used by workers, started before them
        for (String name : List.of("trainyard-jobs-", "trainyard-gener", "trainyard-sse-")) {
            assertThat(niceOfThreadsNamed(name)).as(name).isNotEmpty().containsOnly(OptionalInt.of(0));
        }
    }

    private static List<OptionalInt> niceOfThreadsNamed(String prefix) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(task -> comm(task).startsWith(prefix)).map(task -> TrainingPriority.niceOf(task.resolve("stat"))).toList();
        }
    }

    private static String comm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException gone) {
            return "";
        }
    }
}
