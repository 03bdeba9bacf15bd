package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;

import dev.trainyard.TrainyardApplication;
import dev.trainyard.tracking.NewRun;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.tracking.RunState;
import dev.trainyard.training.JobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** SIGTERM closes the application context; a job it was training goes back to the queue. */
class ShutdownTest {

    @TempDir
    Path data;

    @Test
    void shuttingDownRequeuesTheRunningJobAndLeavesItConsistent() throws Exception {
        String id;
        try (var app = new SpringApplicationBuilder(TrainyardApplication.class).run("--server.port=0",
                "--trainyard.data-dir=" + data, "--spring.datasource.url=jdbc:h2:file:" + data.resolve("trainyard"))) {
            var runs = app.getBean(RunManagement.class);
            id = runs.create(new NewRun("shutdown", null, null, null, null, JobSpec.seedRnn(100_000, null, null, null))).getId();
            await().atMost(Duration.ofSeconds(30)).until(() -> runs.get(id).getState() == RunState.RUNNING);
        }

        try (var db = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("trainyard"), "sa", "");
                ResultSet rs = db.createStatement().executeQuery(
                        "select r.state, r.started_at, j.owner from run r join job j on j.run_id = r.id where r.id = '" + id + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("QUEUED");
            assertThat(rs.getTimestamp(2)).isNull();
            assertThat(rs.getString(3)).isNull();
        }
    }
}
