package dev.trainyard.tracking;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ordered log behind live updates and resumable SSE. An entry is written in the same
 * transaction as the change it describes, and announced only once that transaction commits, so a
 * subscriber never sees an event the store does not hold.
 */
@Component
public class RunEventLog {

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher publisher;
    private final JsonMapper json;
    private final Clock clock;

    RunEventLog(JdbcTemplate jdbc, ApplicationEventPublisher publisher, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.publisher = publisher;
        this.json = json;
        this.clock = clock;
    }

    /** Appends an entry and returns its id, which is also the SSE event id. */
    public long append(String runId, String projectId, RunEventType type, Map<String, ?> payload) {
        // Writers to one run take turns, so its event ids commit in order and a reader that has
        // seen id N has seen everything below it.
        jdbc.queryForObject("select id from run where id = ? for update", String.class, runId);
        var keys = new GeneratedKeyHolder();
        String body = json.writeValueAsString(payload);
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement(
                    "insert into run_event (run_id, type, payload, created_at) values (?, ?, ?, ?)",
                    new String[] {"id"});
            ps.setString(1, runId);
            ps.setString(2, type.name());
            ps.setString(3, body);
            ps.setTimestamp(4, Timestamp.from(clock.instant()));
            return ps;
        }, keys);
        long id = keys.getKey().longValue();
        announceAfterCommit(new RunActivity(runId, projectId, id));
        return id;
    }

    /** Appends a state change: {@code {state, error?}}, the payload every state event carries. */
    public long appendState(String runId, String projectId, RunState state, String error) {
        var payload = new HashMap<String, Object>();
        payload.put("state", state.name());
        if (error != null) {
            payload.put("error", error);
        }
        return append(runId, projectId, RunEventType.STATE, payload);
    }

    /** Entries after {@code afterId}, oldest first, at most {@code limit}. */
    public List<RunEvent> after(String runId, long afterId, int limit) {
        return jdbc.query("select id, type, payload from run_event where run_id = ? and id > ? order by id fetch first ? rows only",
                (rs, i) -> new RunEvent(rs.getLong(1), runId, RunEventType.valueOf(rs.getString(2)), rs.getString(3)),
                runId, afterId, limit);
    }

    /** The newest entry's id, or 0 for a run with none. */
    public long head(String runId) {
        Long id = jdbc.queryForObject("select max(id) from run_event where run_id = ?", Long.class, runId);
        return id == null ? 0 : id;
    }

    /** The newest event of any run of the project, or 0. */
    public long projectHead(String projectId) {
        Long id = jdbc.queryForObject("select max(e.id) from run_event e join run r on r.id = e.run_id where r.project_id = ?",
                Long.class, projectId);
        return id == null ? 0 : id;
    }

    /** The project's runs with events after {@code afterId}. */
    public List<String> runsChangedSince(String projectId, long afterId) {
        return jdbc.queryForList("select distinct e.run_id from run_event e join run r on r.id = e.run_id "
                + "where r.project_id = ? and e.id > ?", String.class, projectId, afterId);
    }

    private void announceAfterCommit(RunActivity activity) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            publisher.publishEvent(activity);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                publisher.publishEvent(activity);
            }
        });
    }
}
