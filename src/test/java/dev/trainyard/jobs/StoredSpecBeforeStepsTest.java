package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import dev.trainyard.TrainyardApplication;
import dev.trainyard.tracking.NewRun;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.tracking.RunState;
import dev.trainyard.tracking.RunViews;
import dev.trainyard.training.JobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A job queued before {@code epochs} became {@code steps} (#13) still trains after an upgrade: its spec
 * is stored as the old code wrote it, with {@code epochs}, and the API shows it as {@code steps}.
 */
class StoredSpecBeforeStepsTest {

    /** What the server wrote to job.spec before the rename: the spec with its defaults, nulls included. */
    private static final String OLD_SPEC = """
            {"model":"seed-rnn","dataset":"seed-sentence","epochs":30,"hidden":8,"layers":null,"embedding":null,\
            "learningRate":0.01,"optimizer":"adam","loss":"mse","sequenceLength":null,"batchSize":null,"seed":1,\
            "clipGradient":null,"sampleEvery":100}""";

    @TempDir
    Path data;

    @Test
    void aJobStoredWithEpochsTrainsThatManyStepsAndReadsBackAsSteps() {
        String id;
        try (var before = start(0)) {
            id = before.getBean(RunManagement.class).create(new NewRun("old-spec", null, null, null, null,
                    JobSpec.seedRnn(1000, 8, null, null))).getId();
            before.getBean(JdbcTemplate.class).update("update job set spec = ?, epochs = 30 where run_id = ?", OLD_SPEC, id);
        }

        try (var after = start(1)) {
            var runs = after.getBean(RunManagement.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> runs.get(id).getState().isTerminal());
            assertThat(runs.get(id).getState()).as(String.valueOf(runs.get(id).getError())).isEqualTo(RunState.FINISHED);
            var stored = new StoredRun(after.getBean(JdbcTemplate.class), id);
            assertThat(stored.steps("loss")).as("optimizer steps trained").hasSize(30).last().isEqualTo(30L);

            var job = after.getBean(RunViews.class).of(id).job();
            assertThat(job.spec().steps()).isEqualTo(30);
            assertThat(job.spec().epochs()).isNull();
            assertThat(job.progress().step()).isEqualTo(30);
            assertThat(job.progress().steps()).isEqualTo(30);
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
