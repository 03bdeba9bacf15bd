package dev.trainyard.mlflow;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * MLflow's nested runs, for the run page: a child names its parent in the tag
 * {@code mlflow.parentRunId}. Only runs that still exist and are not deleted are named; a parent
 * id pointing nowhere is shown as just that id, so the page still says the run was nested.
 */
@Service
public class NestedRuns {

    public static final String PARENT_TAG = "mlflow.parentRunId";
    /** A run page lists at most this many children, newest first; a sweep of thousands is the runs table's job. */
    static final int MAX_CHILDREN = 200;

    /** A run as a link: its id and name (null when the run is gone). */
    public record Link(String id, String name) {
    }

    private final JdbcTemplate jdbc;

    NestedRuns(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public Optional<Link> parentOf(String runId) {
        List<String> parent = jdbc.queryForList("select tag_value from mlflow_run_tag where run_id = ? and tag_key = ?",
                String.class, runId, PARENT_TAG);
        if (parent.isEmpty()) {
            return Optional.empty();
        }
        String id = parent.get(0);
        List<String> name = jdbc.queryForList("select name from run where id = ? and deleted_at is null", String.class, id);
        return Optional.of(new Link(id, name.isEmpty() ? null : name.get(0)));
    }

    @Transactional(readOnly = true)
    public List<Link> childrenOf(String runId) {
        return jdbc.query("select r.id, r.name from mlflow_run_tag t join run r on r.id = t.run_id "
                        + "where t.tag_key = ? and t.tag_value = ? and r.deleted_at is null order by r.created_at desc, r.id",
                (rs, i) -> new Link(rs.getString(1), rs.getString(2)), PARENT_TAG, runId).stream().limit(MAX_CHILDREN).toList();
    }
}
