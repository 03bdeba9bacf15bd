package dev.trainyard.tracking;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The samples a job stores as it trains, so the dashboard can show the text improving. */
@Component
public class RunSamples {

    private static final int MAX_TEXT = 20_000;

    private final JdbcTemplate jdbc;
    private final RunEventLog events;
    private final Clock clock;

    RunSamples(JdbcTemplate jdbc, RunEventLog events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    /** Stores (or replaces) the sample of an epoch and announces it live. */
    @Transactional
    public void record(String runId, String projectId, int epoch, String text, Boolean exact) {
        String stored = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
        var payload = new HashMap<String, Object>();
        payload.put("epoch", epoch);
        payload.put("text", stored);
        if (exact != null) {
            payload.put("exact", exact);
        }
        events.append(runId, projectId, RunEventType.SAMPLE, payload);
        jdbc.update("delete from run_sample where run_id = ? and epoch = ?", runId, epoch);
        jdbc.update("insert into run_sample (run_id, epoch, text, exact, created_at) values (?, ?, ?, ?, ?)",
                runId, epoch, stored, exact, Timestamp.from(clock.instant()));
    }

    /** A run's samples, oldest epoch first. */
    public List<Sample> of(String runId) {
        return jdbc.query("select epoch, text, exact, created_at from run_sample where run_id = ? order by epoch",
                (rs, i) -> new Sample(rs.getInt(1), rs.getString(2), (Boolean) rs.getObject(3), rs.getTimestamp(4).toInstant()),
                runId);
    }
}
