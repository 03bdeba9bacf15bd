package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import dev.trainyard.TrainyardApplication;
import dev.trainyard.tracking.NewRun;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.tracking.RunState;
import dev.trainyard.training.JobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** A job left RUNNING by a process that died is trained again when the server comes back. */
class RestartRecoveryTest {

    @TempDir
    Path data;

    @Test
    void jobsLeftRunningByADeadProcessAreRequeuedOnStartUp() {
        String id;
        try (var first = start(0)) {
            id = first.getBean(RunManagement.class).create(new NewRun("restart", null, null, null, null,
                    new JobSpec(null, null, 5, 8, null, null, null, null, null, null, null, null, null, null))).getId();
            // What a worker that died mid-epoch leaves behind: RUNNING, owned, heart-beating no more.
            var jdbc = first.getBean(JdbcTemplate.class);
            jdbc.update("update run set state = 'RUNNING', started_at = ?, heartbeat_at = ? where id = ?",
                    Timestamp.from(Instant.now()), Timestamp.from(Instant.now()), id);
            jdbc.update("update job set owner = 'dead-node', attempts = 1 where run_id = ?", id);
        }

        try (var second = start(1)) {
            var runs = second.getBean(RunManagement.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> runs.get(id).getState() == RunState.FINISHED);
            var jdbc = second.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("select attempts from job where run_id = ?", Integer.class, id)).isEqualTo(2);
            assertThat(jdbc.queryForList("select payload from run_event where run_id = ? and type = 'STATE' order by id", String.class, id))
                    .anySatisfy(p -> assertThat(p).contains("QUEUED"));
        }
    }

    private ConfigurableApplicationContext start(int workers) {
        return new SpringApplicationBuilder(TrainyardApplication.class).run(
                "--server.port=0",
                "--trainyard.data-dir=" + data,
                "--spring.datasource.url=jdbc:h2:file:" + data.resolve("trainyard"),
                "--trainyard.workers.count=" + workers);
    }
}
