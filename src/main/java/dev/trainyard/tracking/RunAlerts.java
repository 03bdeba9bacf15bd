package dev.trainyard.tracking;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.trainyard.shared.web.NotFoundException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** A run's alerts: kept with it, and announced on its live stream as an {@code alert} event. */
@Component
public class RunAlerts {

    private final JdbcTemplate jdbc;
    private final RunEventLog events;
    private final Clock clock;

    RunAlerts(JdbcTemplate jdbc, RunEventLog events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public RunAlert raise(String runId, String title, String text, RunAlert.Level level) {
        String projectId = jdbc.query("select project_id from run where id = ?", (rs, i) -> rs.getString(1), runId)
                .stream().findFirst().orElseThrow(() -> new NotFoundException("run", runId));
        Instant now = clock.instant();
        var key = new GeneratedKeyHolder();
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("insert into run_alert (run_id, title, body, level, created_at) "
                    + "values (?, ?, ?, ?, ?)", new String[] {"id"});
            ps.setString(1, runId);
            ps.setString(2, title);
            ps.setString(3, text);
            ps.setString(4, level.name());
            ps.setTimestamp(5, Timestamp.from(now));
            return ps;
        }, key);
        long id = key.getKey().longValue();
        // The title only: the text may be larger than an event holds; the stream's readers fetch the list.
        events.append(runId, projectId, RunEventType.ALERT, Map.of("id", id, "title", title, "level", level.name()));
        return new RunAlert(id, title, text, level, now);
    }

    /** Oldest first. */
    @Transactional(readOnly = true)
    public List<RunAlert> of(String runId) {
        return jdbc.query("select id, title, body, level, created_at from run_alert where run_id = ? order by id",
                (rs, i) -> new RunAlert(rs.getLong(1), rs.getString(2), rs.getString(3), RunAlert.Level.valueOf(rs.getString(4)),
                        rs.getTimestamp(5).toInstant()), runId);
    }
}
