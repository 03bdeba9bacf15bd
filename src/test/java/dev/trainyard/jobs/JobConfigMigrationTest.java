package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.trainyard.TrainyardApplication;
import dev.trainyard.tracking.RunViews;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Upgrading a database that a release before #15 left (every migration up to V19_1, job runs with an
 * empty config): V15_1 runs out of order and gives each job run its hyper-parameters as config, while
 * configs that say something, and scripts' runs, stay as they were.
 */
class JobConfigMigrationTest {

    /** What the server wrote to job.spec before #13 renamed epochs to steps: the defaults, nulls included. */
    private static final String SEED_BEFORE_STEPS = """
            {"model":"seed-rnn","dataset":"seed-sentence","epochs":30,"hidden":8,"layers":null,"embedding":null,\
            "learningRate":0.01,"optimizer":"adam","loss":"mse","sequenceLength":null,"batchSize":null,"seed":1,\
            "clipGradient":null,"sampleEvery":100}""";
    private static final String GRU = """
            {"model":"gru","dataset":"builtin:tales","steps":7,"hidden":100,"layers":1,"embedding":70,"learningRate":0.002,\
            "optimizer":"adam","loss":"xent","sequenceLength":200,"batchSize":1,"seed":1,"clipGradient":null,"sampleEvery":50}""";
    private static final String DL4J = """
            {"model":"dl4j","dataset":"builtin:iris","hidden":null,"layers":null,"embedding":null,"learningRate":null,\
            "optimizer":null,"loss":null,"sequenceLength":null,"batchSize":32,"seed":null,"clipGradient":null,\
            "sampleEvery":null,"network":"{\\"confs\\":[]}","label":"species","task":"classification","epochs":40,\
            "validationFraction":0.2,"normalizer":"standardize"}""";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path data;

    /** Where the test's database is and how to reach it. */
    record Database(String url, String user, List<String> args) {
    }

    Database database() {
        String url = "jdbc:h2:file:" + data.resolve("trainyard");
        return new Database(url, "sa", List.of("--spring.datasource.url=" + url));
    }

    @Test
    void anUpgradedDatabaseGetsEachJobsHyperParametersAsItsRunsConfig() {
        Database db = database();
        var before = new SingleConnectionDataSource(db.url(), db.user(), "", true);
        try {
            // The SQL migrations alone are what the release before this one applied.
            Flyway.configure().dataSource(before).locations("filesystem:" + Path.of("src/main/resources/db/migration").toAbsolutePath())
                    .load().migrate();
            var jdbc = new JdbcTemplate(before);
            assertThat(rank(jdbc, "19.1")).isNotNull();
            assertThat(rank(jdbc, "15.1")).isNull();
            jdbc.update("insert into project (id, slug, name, created_at) values ('p1', 'old', 'old', ?)", now());
            job(jdbc, "seed", "FINISHED", "{}", SEED_BEFORE_STEPS);
            job(jdbc, "gru", "QUEUED", null, GRU);
            job(jdbc, "dl4j", "FINISHED", "{}", DL4J);
            job(jdbc, "given", "FINISHED", "{\"lr\":1}", GRU);
            job(jdbc, "unreadable", "FAILED", "{}", "not a spec");
            run(jdbc, "script", "EXTERNAL", "FINISHED", "{}");
            run(jdbc, "tuned", "EXTERNAL", "FINISHED", "{\"lr\":2,\"optimizer\":{\"name\":\"sgd\"}}");
        } finally {
            before.destroy();
        }

        try (var after = start(db)) {
            var jdbc = after.getBean(JdbcTemplate.class);
            assertThat(config(jdbc, "seed")).containsExactly(Map.entry("model", "seed-rnn"), Map.entry("dataset", "seed-sentence"),
                    Map.entry("steps", 30), Map.entry("hidden", 8), Map.entry("learningRate", 0.01), Map.entry("optimizer", "adam"),
                    Map.entry("loss", "mse"), Map.entry("seed", 1), Map.entry("sampleEvery", 100));
            assertThat(config(jdbc, "gru")).containsEntry("model", "gru").containsEntry("steps", 7).containsEntry("embedding", 70)
                    .containsEntry("learningRate", 0.002).doesNotContainKey("clipGradient");
            assertThat(config(jdbc, "dl4j")).containsEntry("epochs", 40).containsEntry("batchSize", 32)
                    .containsEntry("label", "species").doesNotContainKeys("steps", "network", "hidden", "seed");
            assertThat(config(jdbc, "given")).as("a config someone gave").containsExactly(Map.entry("lr", 1));
            assertThat(config(jdbc, "unreadable")).isEmpty();
            assertThat(config(jdbc, "script")).isEmpty();
            assertThat(jdbc.queryForObject("select spec from job where run_id = 'seed'", String.class))
                    .as("the job keeps its spec").isEqualTo(SEED_BEFORE_STEPS);

            @SuppressWarnings("unchecked")
            var shown = (Map<String, Object>) after.getBean(RunViews.class).of("seed").config();
            assertThat(shown).containsEntry("steps", 30).containsEntry("hidden", 8);
            assertThat(rank(jdbc, "15.1")).as("applied after V19_1, out of order").isGreaterThan(rank(jdbc, "19.1"));

            // V15_3 indexes every run's config for the runs search, the job configs V15_1 just wrote included.
            assertThat(indexed(jdbc, "seed")).contains("learningRate=0.01 (0.01)", "model=seed-rnn", "steps=30 (30.0)");
            assertThat(indexed(jdbc, "tuned")).containsExactly("lr=2 (2.0)", "optimizer.name=sgd");
            assertThat(indexed(jdbc, "script")).isEmpty();
        }
    }

    private ConfigurableApplicationContext start(Database db) {
        var args = new ArrayList<>(List.of("--server.port=0", "--trainyard.data-dir=" + data, "--trainyard.workers.count=0"));
        args.addAll(db.args());
        return new SpringApplicationBuilder(TrainyardApplication.class).run(args.toArray(String[]::new));
    }

    /** When Flyway applied a version successfully, null if it did not (its table and columns are quoted lower case on H2). */
    private static Integer rank(JdbcTemplate jdbc, String version) {
        return jdbc.queryForObject("select max(\"installed_rank\") from \"flyway_schema_history\" where \"version\" = ? "
                + "and \"success\" = true", Integer.class, version);
    }

    private static void job(JdbcTemplate jdbc, String id, String state, String config, String spec) {
        run(jdbc, id, "JOB", state, config);
        jdbc.update("insert into job (run_id, spec, attempts, epoch, epochs) values (?, ?, 1, 0, 30)", id, spec);
    }

    private static void run(JdbcTemplate jdbc, String id, String kind, String state, String config) {
        jdbc.update("insert into run (id, project_id, name, kind, state, config, created_at, version) values (?, 'p1', ?, ?, ?, ?, ?, 0)",
                id, id, kind, state, config, now());
    }

    /** A run's run_config rows as key=text (number). */
    private static List<String> indexed(JdbcTemplate jdbc, String id) {
        return jdbc.query("select config_key, text_value, num_value from run_config where run_id = ? order by config_key",
                (rs, i) -> rs.getString(1) + "=" + rs.getString(2) + (rs.getObject(3) == null ? "" : " (" + rs.getDouble(3) + ")"), id);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(JdbcTemplate jdbc, String id) {
        String config = jdbc.queryForObject("select config from run where id = ?", String.class, id);
        return JSON.readValue(config, Map.class);
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now());
    }
}
