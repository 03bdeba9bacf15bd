package dev.trainyard.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;

import dev.trainyard.TrainyardApplication;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Upgrading a database whose run_config cut values at 1000 characters: V16_4 widens the column and
 * V16_5 writes the cut values again whole, so that runs/search compares a long param as it is;
 * V16_6 widens the config to a whole MLflow batch, and V16_7 gives a param that spells a number
 * (all MLflow params are strings) its number, so that the runs table sorts and filters by it.
 */
class RunConfigWholeValuesMigrationTest {

    @TempDir
    Path data;

    @Test
    void valuesCutAtAThousandCharactersAreWrittenWhole() {
        String url = "jdbc:h2:file:" + data.resolve("trainyard");
        String longValue = "v".repeat(2500);
        String exactly = "e".repeat(1000);
        var before = new SingleConnectionDataSource(url, "sa", "", true);
        try {
            // The schema as the release before V16_4 left it, with run_config filled by V15_3.
            Flyway.configure().dataSource(before).locations("filesystem:" + Path.of("src/main/resources/db/migration").toAbsolutePath())
                    .javaMigrations(new V15_3__run_config_index()).target("16.3").load().migrate();
            var jdbc = new JdbcTemplate(before);
            assertThat(jdbc.queryForObject("select character_maximum_length from information_schema.columns where table_name = 'RUN_CONFIG' "
                    + "and column_name = 'TEXT_VALUE'", Integer.class)).isEqualTo(1000);
            jdbc.update("insert into project (id, slug, name, created_at) values ('p1', 'old', 'old', ?)", Timestamp.from(Instant.now()));
            run(jdbc, "long", "{\"prompt\": \"" + longValue + "\", \"lr\": 0.1}");
            run(jdbc, "exact", "{\"prompt\": \"" + exactly + "\"}");
            run(jdbc, "short", "{\"prompt\": \"hi\"}");
            run(jdbc, "mlflow", "{\"lr\": \"0.02\", \"seed\": \"1e3\", \"sha\": \"4f2a9c1\", \"cut\": \"NaN\"}");
            // What the old RunConfigIndex wrote: the first 1000 characters.
            jdbc.update("insert into run_config (run_id, config_key, text_value) values ('long', 'prompt', ?)", longValue.substring(0, 1000));
            jdbc.update("insert into run_config (run_id, config_key, text_value, num_value) values ('long', 'lr', '0.1', 0.1)");
            jdbc.update("insert into run_config (run_id, config_key, text_value) values ('exact', 'prompt', ?)", exactly);
            jdbc.update("insert into run_config (run_id, config_key, text_value) values ('short', 'prompt', 'hi')");
            for (String[] param : new String[][] {{"lr", "0.02"}, {"seed", "1e3"}, {"sha", "4f2a9c1"}, {"cut", "NaN"}}) {
                jdbc.update("insert into run_config (run_id, config_key, text_value) values ('mlflow', ?, ?)", param[0], param[1]);
            }
        } finally {
            before.destroy();
        }

        try (var after = new SpringApplicationBuilder(TrainyardApplication.class).run("--server.port=0", "--trainyard.data-dir=" + data,
                "--trainyard.workers.count=0", "--spring.datasource.url=" + url)) {
            var jdbc = after.getBean(JdbcTemplate.class);
            assertThat(text(jdbc, "long", "prompt")).isEqualTo(longValue);
            assertThat(text(jdbc, "long", "lr")).isEqualTo("0.1");
            assertThat(text(jdbc, "exact", "prompt")).isEqualTo(exactly);
            assertThat(text(jdbc, "short", "prompt")).isEqualTo("hi");
            assertThat(number(jdbc, "mlflow", "lr")).isEqualTo(0.02);
            assertThat(number(jdbc, "mlflow", "seed")).isEqualTo(1000.0);
            assertThat(number(jdbc, "mlflow", "sha")).as("not a number").isNull();
            assertThat(number(jdbc, "mlflow", "cut")).as("NaN compares with nothing").isNull();
            assertThat(number(jdbc, "short", "prompt")).isNull();
            assertThat(jdbc.queryForObject("select character_maximum_length from information_schema.columns where table_name = 'RUN' "
                    + "and column_name = 'CONFIG'", Integer.class)).isEqualTo(RunManagement.MAX_CONFIG_CHARS);
            assertThat(jdbc.queryForObject("select character_maximum_length from information_schema.columns where table_name = 'METRIC_SERIES' "
                    + "and column_name = 'METRIC_KEY'", Integer.class)).isEqualTo(250);
            assertThat(jdbc.queryForObject("select is_nullable from information_schema.columns where table_name = 'METRIC_SERIES' "
                    + "and column_name = 'METRIC_KEY'", String.class)).as("still not null").isEqualTo("NO");
        }
    }

    private static void run(JdbcTemplate jdbc, String id, String config) {
        jdbc.update("insert into run (id, project_id, name, kind, state, config, created_at, version) values (?, 'p1', ?, 'EXTERNAL', "
                + "'FINISHED', ?, ?, 0)", id, id, config, Timestamp.from(Instant.now()));
    }

    private static Double number(JdbcTemplate jdbc, String runId, String key) {
        return jdbc.queryForObject("select num_value from run_config where run_id = ? and config_key = ?", Double.class, runId, key);
    }

    private static String text(JdbcTemplate jdbc, String runId, String key) {
        return jdbc.queryForObject("select text_value from run_config where run_id = ? and config_key = ?", String.class, runId, key);
    }
}
