package dev.trainyard.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.trainyard.shared.NotFoundException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where metric points live. Batches go in through JDBC batch upserts in one transaction, so a
 * returned call means committed; reads of long series go through {@link SeriesCache}.
 */
@Component
public class MetricStore {

    private static final int JDBC_BATCH = 1000;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final SqlDialect dialect;
    private final RunEventLog events;
    private final SeriesCache cache;

    MetricStore(JdbcTemplate jdbc, DataSource dataSource, RunEventLog events, SeriesCache cache) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.dialect = SqlDialect.of(dataSource);
        this.events = events;
        this.cache = cache;
    }

    /**
     * Commits a batch and returns how many points it held. A (key, step) that is already stored,
     * or that repeats within the batch, is overwritten by the later value. Logging to an external
     * run counts as a sign of life and brings a CRASHED run back to RUNNING.
     */
    @Transactional
    public int log(String runId, List<MetricPoint> points) {
        var run = jdbc.query("select project_id, kind, state from run where id = ?",
                        (rs, i) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, runId)
                .stream().findFirst().orElseThrow(() -> new NotFoundException("run", runId));
        long eventId = events.append(runId, run[0], RunEventType.METRICS, Map.of("count", points.size()));
        Collection<MetricPoint> distinct = lastPerKeyAndStep(points);
        jdbc.batchUpdate(dialect.upsertPoint, distinct, JDBC_BATCH, (PreparedStatement ps, MetricPoint p) -> {
            ps.setString(1, runId);
            ps.setString(2, p.key());
            ps.setLong(3, p.step());
            ps.setDouble(4, p.value());
            ps.setLong(5, p.time());
            ps.setLong(6, eventId);
        });
        jdbc.batchUpdate(dialect.upsertSummary, highestStepPerKey(distinct), JDBC_BATCH, (PreparedStatement ps, MetricPoint p) -> {
            ps.setString(1, runId);
            ps.setString(2, p.key());
            ps.setLong(3, p.step());
            ps.setDouble(4, p.value());
        });
        if (RunKind.EXTERNAL.name().equals(run[1])) {
            recordSignOfLife(runId, run[0], RunState.valueOf(run[2]));
        }
        return points.size();
    }

    private void recordSignOfLife(String runId, String projectId, RunState state) {
        jdbc.update("update run set heartbeat_at = ? where id = ?", java.sql.Timestamp.from(Instant.now()), runId);
        if (state == RunState.CRASHED
                && jdbc.update("update run set state = 'RUNNING', ended_at = null, version = version + 1 "
                + "where id = ? and state = 'CRASHED'", runId) == 1) {
            events.append(runId, projectId, RunEventType.STATE, Map.of("state", RunState.RUNNING.name()));
        }
    }

    private static Collection<MetricPoint> lastPerKeyAndStep(List<MetricPoint> points) {
        record KeyStep(String key, long step) {
        }
        var last = new LinkedHashMap<KeyStep, MetricPoint>(points.size() * 2);
        for (MetricPoint p : points) {
            last.put(new KeyStep(p.key(), p.step()), p);
        }
        return last.size() == points.size() ? points : last.values();
    }

    private static Collection<MetricPoint> highestStepPerKey(Collection<MetricPoint> points) {
        var highest = new HashMap<String, MetricPoint>();
        for (MetricPoint p : points) {
            highest.merge(p.key(), p, (a, b) -> b.step() >= a.step() ? b : a);
        }
        return highest.values();
    }

    /** Points written by events after {@code afterEvent} up to {@code upToEvent}, by event then step. */
    public List<WrittenPoint> writtenBetween(String runId, long afterEvent, long upToEvent) {
        return jdbc.query("select event_id, metric_key, step, metric_value, wall_time from metric_point "
                        + "where run_id = ? and event_id > ? and event_id <= ? order by event_id, metric_key, step",
                (rs, i) -> new WrittenPoint(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getDouble(4), rs.getLong(5)),
                runId, afterEvent, upToEvent);
    }

    /** One row per key the run has logged. */
    @Transactional(readOnly = true)
    public List<KeySummary> keys(String runId) {
        requireRun(runId);
        return jdbc.query("select p.metric_key, count(*), min(p.step), max(p.step), min(p.metric_value), max(p.metric_value), "
                        + "max(s.metric_value) from metric_point p join run_summary s on s.run_id = p.run_id and s.metric_key = p.metric_key "
                        + "where p.run_id = ? group by p.metric_key order by p.metric_key",
                (rs, i) -> new KeySummary(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getDouble(7), rs.getDouble(5), rs.getDouble(6)),
                runId);
    }

    /**
     * A key's points between two steps (inclusive; null means open). With more than
     * {@code maxPoints} in the range, buckets stand for them (see {@link Downsampler}).
     */
    public History history(String runId, String key, int maxPoints, Long fromStep, Long toStep) {
        requireRun(runId);
        Series series = cache.get(runId, key, events.head(runId));
        int from = fromStep == null ? 0 : series.lowerBound(fromStep);
        int to = toStep == null ? series.size : series.upperBound(toStep);
        if (to <= from) {
            return new History(key, 0, List.of());
        }
        return new History(key, to - from, Downsampler.sample(series, from, to, maxPoints));
    }

    /** Writes {@code step,value,time} rows, oldest step first, straight from the store. */
    @Transactional(readOnly = true)
    public void exportCsv(String runId, String key, Writer out) {
        requireRun(runId);
        try {
            out.write("step,value,time\n");
            jdbc.query("select step, metric_value, wall_time from metric_point where run_id = ? and metric_key = ? order by step",
                    rs -> {
                        try {
                            out.write(Long.toString(rs.getLong(1)));
                            out.write(',');
                            out.write(Double.toString(rs.getDouble(2)));
                            out.write(',');
                            out.write(Instant.ofEpochMilli(rs.getLong(3)).toString());
                            out.write('\n');
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, runId, key);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last value of each key, per run. */
    public Map<String, Map<String, Double>> summaries(Collection<String> runIds) {
        var result = new HashMap<String, Map<String, Double>>();
        if (runIds.isEmpty()) {
            return result;
        }
        named.query("select run_id, metric_key, metric_value from run_summary where run_id in (:ids) order by metric_key",
                Map.of("ids", runIds), rs -> {
                    result.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getDouble(3));
                });
        return result;
    }

    void forgetRun(String runId) {
        cache.evictRun(runId);
    }

    private void requireRun(String runId) {
        Integer n = jdbc.queryForObject("select count(*) from run where id = ?", Integer.class, runId);
        if (n == null || n == 0) {
            throw new NotFoundException("run", runId);
        }
    }
}
