package dev.trainyard.mlflow;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * MLflow's valued tags of runs and experiments. A set replaces the value (delete, then insert, in
 * the caller's transaction), which both databases do alike.
 */
@Component
class MlflowTags {

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    MlflowTags(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
    }

    Map<String, String> ofRun(String runId) {
        return ofRuns(List.of(runId)).get(runId);
    }

    /** Each run's tags, for a page of runs in one query; a run without tags maps to an empty map. */
    Map<String, Map<String, String>> ofRuns(Collection<String> runIds) {
        var byRun = new HashMap<String, Map<String, String>>();
        runIds.forEach(id -> byRun.put(id, new LinkedHashMap<>()));
        if (!runIds.isEmpty()) {
            named.query("select run_id, tag_key, tag_value from mlflow_run_tag where run_id in (:ids) order by run_id, tag_key",
                    Map.of("ids", runIds), rs -> {
                        byRun.get(rs.getString(1)).put(rs.getString(2), rs.getString(3));
                    });
        }
        return byRun;
    }

    void setOnRun(String runId, String key, String value) {
        jdbc.update("delete from mlflow_run_tag where run_id = ? and tag_key = ?", runId, key);
        jdbc.update("insert into mlflow_run_tag (run_id, tag_key, tag_value) values (?, ?, ?)", runId, key, value);
    }

    boolean deleteFromRun(String runId, String key) {
        return jdbc.update("delete from mlflow_run_tag where run_id = ? and tag_key = ?", runId, key) == 1;
    }

    Map<String, String> ofExperiment(String projectId) {
        var tags = new LinkedHashMap<String, String>();
        jdbc.query("select tag_key, tag_value from mlflow_experiment_tag where project_id = ? order by tag_key",
                rs -> {
                    tags.put(rs.getString(1), rs.getString(2));
                }, projectId);
        return tags;
    }

    void setOnExperiment(String projectId, String key, String value) {
        jdbc.update("delete from mlflow_experiment_tag where project_id = ? and tag_key = ?", projectId, key);
        jdbc.update("insert into mlflow_experiment_tag (project_id, tag_key, tag_value) values (?, ?, ?)", projectId, key, value);
    }
}
