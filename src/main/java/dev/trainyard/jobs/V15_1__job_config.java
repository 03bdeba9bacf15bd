package dev.trainyard.jobs;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.trainyard.training.JobSpec;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Job runs queued before #15 have an empty config and their hyper-parameters only in the job's spec:
 * this copies them over, as {@link JobHyperParameters} does for new jobs, so every run sorts, filters
 * and compares by config. A config a user gave is left alone.
 *
 * <p>In Java because neither H2 nor PostgreSQL SQL can portably drop a JSON object's null members or
 * read the spec's old {@code epochs} alias. A Spring bean (Boot hands it to Flyway) rather than a
 * class Flyway scans for, so it is found inside the Boot jar too. Its version is below migrations that
 * were released before it, which {@code spring.flyway.out-of-order} allows on existing databases.
 */
@Component
class V15_1__job_config extends BaseJavaMigration {

    private static final Logger log = LoggerFactory.getLogger(V15_1__job_config.class);

    // Its own mapper: the application's is not built yet, and a spec stored by an older version may
    // carry fields this one no longer knows.
    private final JsonMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    @Override
    public void migrate(Context context) throws Exception {
        var connection = context.getConnection();
        var configs = new LinkedHashMap<String, String>();
        try (var select = connection.prepareStatement(
                "select r.id, r.config, j.spec from run r join job j on j.run_id = r.id where r.kind = 'JOB'");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                if (isEmpty(rs.getString(2))) {
                    String config = configOf(rs.getString(1), rs.getString(3));
                    if (config != null) {
                        configs.put(rs.getString(1), config);
                    }
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement("update run set config = ? where id = ?")) {
            for (var e : configs.entrySet()) {
                update.setString(1, e.getValue());
                update.setString(2, e.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
        log.info("Copied the hyper-parameters of {} queued or past jobs into their runs' config", configs.size());
    }

    private boolean isEmpty(String config) {
        if (config == null || config.isBlank()) {
            return true;
        }
        try {
            var node = json.readTree(config);
            return node.isNull() || node.isObject() && node.isEmpty();
        } catch (RuntimeException e) {
            return false; // not ours to repair: the API shows what is there
        }
    }

    /** The run's new config, or null when the spec cannot be read (the worker could not train it either). */
    private String configOf(String runId, String spec) {
        try {
            Map<String, Object> hyperParameters = JobHyperParameters.of(json.readValue(spec, JobSpec.class), json);
            return json.writeValueAsString(hyperParameters);
        } catch (RuntimeException e) {
            log.warn("Run {}: its job's spec cannot be read ({}); its config stays empty", runId, e.getMessage());
            return null;
        }
    }
}
