package dev.trainyard.jobs;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the database holds about one run, read directly, for assertions the API does not expose. */
record StoredRun(JdbcTemplate jdbc, String id) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    record StateChange(String state, String error, Instant at) {
    }

    List<StateChange> stateChanges() {
        return jdbc.query("select payload, created_at from run_event where run_id = ? and type = 'STATE' order by id", (rs, i) -> {
            JsonNode payload = JSON.readTree(rs.getString(1));
            return new StateChange(payload.get("state").asString(), payload.path("error").asString(null),
                    rs.getTimestamp(2).toInstant());
        }, id);
    }

    List<String> states() {
        return stateChanges().stream().map(StateChange::state).toList();
    }

    /** The steps stored for a key, in order; (key, step) is the primary key, so each appears once. */
    List<Long> steps(String key) {
        return jdbc.queryForList("select p.step from metric_point p join metric_series s on s.id = p.series_id "
                + "where s.run_id = ? and s.metric_key = ? order by p.step", Long.class, id, key);
    }

    long storedPoints() {
        return jdbc.queryForObject("select count(*) from metric_point p join metric_series s on s.id = p.series_id where s.run_id = ?",
                Long.class, id);
    }

    /** The points the run's metrics events announced; more than {@link #storedPoints()} if a point was written twice. */
    long announcedPoints() {
        return payloads("METRICS").stream().mapToLong(p -> p.get("count").asLong()).sum();
    }

    /** The step of each progress event, in order. */
    List<Long> progress() {
        return payloads("PROGRESS").stream().map(p -> p.get("step").asLong()).toList();
    }

    String owner() {
        return jdbc.queryForObject("select owner from job where run_id = ?", String.class, id);
    }

    int attempts() {
        return jdbc.queryForObject("select attempts from job where run_id = ?", Integer.class, id);
    }

    int epoch() {
        return jdbc.queryForObject("select epoch from job where run_id = ?", Integer.class, id);
    }

    Instant heartbeatAt() {
        return jdbc.queryForObject("select heartbeat_at from run where id = ?", Timestamp.class, id).toInstant();
    }

    private List<JsonNode> payloads(String type) {
        return jdbc.queryForList("select payload from run_event where run_id = ? and type = ? order by id", String.class, id, type)
                .stream().map(JSON::readTree).toList();
    }
}
