package dev.trainyard.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.function.ToLongFunction;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.db.Database;
import dev.trainyard.shared.web.NotFoundException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where metric points live. A batch goes in through the database's fast upsert (see
 * {@link SqlDialect}) in one transaction, so a returned call means committed; reads of long series
 * go through {@link SeriesCache}.
 */
@Component
public class MetricStore {

    private static final int JDBC_BATCH = 1000;
    /** Leaves NaN out: it sorts above Infinity on both databases. */
    private static final String FINITE = " and p.metric_value <= cast('Infinity' as double precision)";
    /** A series' point count, first step and NaN-free min, max, sum and count, from its points. */
    private static final String RECOUNT = "update metric_series set "
            + "point_count = (select count(*) from metric_point p where p.series_id = ?), "
            + "first_step = (select min(p.step) from metric_point p where p.series_id = ?), "
            + "min_value = (select min(p.metric_value) from metric_point p where p.series_id = ?" + FINITE + "), "
            + "max_value = (select max(p.metric_value) from metric_point p where p.series_id = ?" + FINITE + "), "
            + "value_sum = (select sum(p.metric_value) from metric_point p where p.series_id = ?" + FINITE + "), "
            + "value_count = (select count(*) from metric_point p where p.series_id = ?" + FINITE + ") "
            + "where id = ?";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final SqlDialect dialect;
    private final RunEventLog events;
    private final SeriesCache cache;
    private final RunLifecycle lifecycle;
    private final ProjectKeyCache projectKeys;
    private final MetricSettings settings;
    private final TransactionTemplate transaction;
    private final GroupCommit h2Writers;

    MetricStore(JdbcTemplate jdbc, Database database, RunEventLog events, SeriesCache cache,
            PlatformTransactionManager transactions, MetricSettings settings, RunLifecycle lifecycle, ProjectKeyCache projectKeys) {
        this.projectKeys = projectKeys;
        this.settings = settings;
        this.lifecycle = lifecycle;
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.dialect = SqlDialect.of(database);
        this.events = events;
        this.cache = cache;
        this.transaction = new TransactionTemplate(transactions);
        // H2's store takes one writer at a time well and several badly: concurrent batches retry
        // each other's B-tree page updates. Taking turns, and committing together, was faster here
        // (see docs/BENCHMARKS.md).
        this.h2Writers = dialect == SqlDialect.H2 ? new GroupCommit(transaction, this::write) : null;
    }

    /**
     * Commits a batch and returns how many points it held. A (key, step) that is already stored,
     * or that repeats within the batch, is overwritten by the later value. Logging to an external
     * run counts as a sign of life and brings a CRASHED run back to RUNNING.
     */
    public int log(String runId, List<MetricPoint> points) {
        return log(runId, points, false);
    }

    /**
     * {@link #log}, and also keeps every point as it was sent, keyed (key, step, time, value) as
     * MLflow keys them: points at one step are all kept, a re-sent one is kept once (see V16_2).
     * {@link #everyPoint} reads them back.
     */
    public int logEvery(String runId, List<MetricPoint> points) {
        return log(runId, points, true);
    }

    private int log(String runId, List<MetricPoint> points, boolean keepEvery) {
        if (h2Writers == null) {
            return transaction.execute(tx -> write(runId, points, keepEvery));
        }
        return h2Writers.write(runId, points, keepEvery);
    }

    /** H2's writers taking turns; null on PostgreSQL, where they write at the same time. */
    GroupCommit h2Writers() {
        return h2Writers;
    }

    private int write(String runId, List<MetricPoint> points, boolean keepEvery) {
        var run = jdbc.query("select project_id, kind, state from run where id = ?",
                        (rs, i) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, runId)
                .stream().findFirst().orElseThrow(() -> new NotFoundException("run", runId));
        // Takes the run's lock: from here on this transaction is the run's only writer.
        long eventId = events.append(runId, run[0], RunEventType.METRICS, Map.of("count", points.size()));
        Collection<MetricPoint> distinct = lastPerKeyAndStep(points);
        Map<String, SeriesRow> series = seriesOf(runId, distinct);
        ToLongFunction<MetricPoint> seriesId = p -> series.get(p.key()).id();
        if (keepEvery) {
            dialect.upsertSentPoints(jdbc, points, seriesId);
        }
        // A series' last step is the highest it has stored, so a point beyond it overwrites nothing
        // and can take the database's plain bulk insert. A training script's batches are all such.
        var fresh = new ArrayList<MetricPoint>(distinct.size());
        var mayOverwrite = new ArrayList<MetricPoint>();
        for (MetricPoint p : distinct) {
            (p.step() > series.get(p.key()).lastStep() ? fresh : mayOverwrite).add(p);
        }
        dialect.insertPoints(jdbc, fresh, seriesId, eventId);
        dialect.upsertPoints(jdbc, mayOverwrite, seriesId, eventId);
        var batch = new HashMap<String, BatchAggregate>();
        fresh.forEach(p -> batch.computeIfAbsent(p.key(), k -> new BatchAggregate()).add(p, true));
        mayOverwrite.forEach(p -> batch.computeIfAbsent(p.key(), k -> new BatchAggregate()).add(p, false));
        // In one UPDATE every right-hand side reads the row as it was, so last_value's test sees
        // the old last_step. A null min or max (a batch of NaN only) leaves the stored one as it is.
        jdbc.batchUpdate("update metric_series set "
                        + "last_value = case when last_step is null or last_step <= ? then ? else last_value end, "
                        + "last_step = case when last_step is null or last_step <= ? then ? else last_step end, "
                        + "min_value = case when min_value is null or min_value > ? then ? else min_value end, "
                        + "max_value = case when max_value is null or max_value < ? then ? else max_value end, "
                        + "value_sum = coalesce(value_sum, 0) + ?, value_count = coalesce(value_count, 0) + ?, "
                        + "point_count = coalesce(point_count, 0) + ?, first_step = coalesce(first_step, ?) where id = ?",
                List.copyOf(batch.entrySet()), JDBC_BATCH, (PreparedStatement ps, Map.Entry<String, BatchAggregate> e) -> {
                    BatchAggregate a = e.getValue();
                    ps.setLong(1, a.last.step());
                    ps.setDouble(2, a.last.value());
                    ps.setLong(3, a.last.step());
                    ps.setLong(4, a.last.step());
                    setNullable(ps, 5, a.min);
                    setNullable(ps, 6, a.min);
                    setNullable(ps, 7, a.max);
                    setNullable(ps, 8, a.max);
                    ps.setDouble(9, a.sum);
                    ps.setLong(10, a.count);
                    ps.setLong(11, a.points);
                    if (a.firstFresh == null) {
                        ps.setNull(12, Types.BIGINT);
                    } else {
                        ps.setLong(12, a.firstFresh);
                    }
                    ps.setLong(13, series.get(e.getKey()).id());
                });
        // A point at or below a series' last step may be new or may replace one, and a replaced
        // value may have been the min or max: those few series are summed up again from their points,
        // so that the summary stays exact. A training loop's batches never take this path; a retry does.
        List<Long> recount = mayOverwrite.stream().map(p -> series.get(p.key()).id()).distinct().toList();
        if (!recount.isEmpty()) {
            jdbc.batchUpdate(RECOUNT, recount, JDBC_BATCH, (ps, id) -> {
                for (int i = 1; i <= 7; i++) {
                    ps.setLong(i, id);
                }
            });
        }
        if (RunKind.EXTERNAL.name().equals(run[1])) {
            lifecycle.signOfLife(runId, run[0], RunKind.EXTERNAL, RunState.valueOf(run[2]));
        }
        return points.size();
    }

    /**
     * What one batch adds to a series. Only points past the series' last step are new for certain,
     * so only they count towards the counts, the sum behind {@code mean} and the first step; a series
     * with other points is summed up again afterwards (see {@code RECOUNT}).
     */
    private static final class BatchAggregate {
        MetricPoint last;
        Double min;
        Double max;
        double sum;
        long count;
        long points;
        Long firstFresh;

        void add(MetricPoint p, boolean isNew) {
            if (last == null || p.step() >= last.step()) {
                last = p;
            }
            if (isNew) {
                points++;
                firstFresh = firstFresh == null ? p.step() : Math.min(firstFresh, p.step());
            }
            double v = p.value();
            if (Double.isNaN(v)) {
                return;
            }
            min = min == null || v < min ? v : min;
            max = max == null || v > max ? v : max;
            if (isNew) {
                sum += v;
                count++;
            }
        }
    }

    private static void setNullable(PreparedStatement ps, int index, Double value) throws java.sql.SQLException {
        if (value == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }

    /** A run's series as the batch finds it: {@code lastStep} is -1 before its first point. */
    private record SeriesRow(long id, long lastStep) {
    }

    /**
     * Every series of the run, creating the ones for keys it has not logged before. Every writer of
     * a run's points holds the run's lock, as this one does, so until it commits no step beyond a
     * last step read here can be stored.
     */
    private Map<String, SeriesRow> seriesOf(String runId, Collection<MetricPoint> points) {
        return seriesOfKeys(runId, points.stream().map(MetricPoint::key).distinct().toList(), "points");
    }

    private Map<String, SeriesRow> seriesOfKeys(String runId, Collection<String> keys, String field) {
        var ids = new HashMap<String, SeriesRow>();
        jdbc.query("select metric_key, id, coalesce(last_step, -1) from metric_series where run_id = ?", rs -> {
            ids.put(rs.getString(1), new SeriesRow(rs.getLong(2), rs.getLong(3)));
        }, runId);
        long fresh = keys.stream().filter(k -> !ids.containsKey(k)).count();
        if (ids.size() + fresh > settings.maxKeysPerRun()) {
            throw new BadRequestException(field, "run " + runId + " would have " + (ids.size() + fresh)
                    + " metric keys; at most " + settings.maxKeysPerRun() + " are allowed (trainyard.metrics.max-keys-per-run)");
        }
        for (String metricKey : keys) {
            if (!ids.containsKey(metricKey)) {
                var key = new GeneratedKeyHolder();
                jdbc.update(con -> {
                    PreparedStatement ps = con.prepareStatement("insert into metric_series (run_id, metric_key) values (?, ?)",
                            new String[] {"id"});
                    ps.setString(1, runId);
                    ps.setString(2, metricKey);
                    return ps;
                }, key);
                ids.put(metricKey, new SeriesRow(key.getKey().longValue(), -1));
            }
        }
        if (fresh > 0) {
            projectKeys.keysChanged();
        }
        return ids;
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

    /** Points written by events after {@code afterEvent} up to {@code upToEvent}, by event then step. */
    public List<WrittenPoint> writtenBetween(String runId, long afterEvent, long upToEvent) {
        return jdbc.query("select p.event_id, s.metric_key, p.step, p.metric_value, p.wall_time "
                        + "from metric_series s join metric_point p on p.series_id = s.id "
                        + "where s.run_id = ? and p.event_id > ? and p.event_id <= ? order by p.event_id, s.metric_key, p.step",
                (rs, i) -> new WrittenPoint(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getDouble(4), rs.getLong(5)),
                runId, afterEvent, upToEvent);
    }

    /** One row per key the run has logged, computed from the cached series. */
    public List<KeySummary> keys(String runId) {
        requireRun(runId);
        // From each series' maintained summary: no point is read, however long the run.
        return jdbc.query("select metric_key, point_count, first_step, last_step, last_value, min_value, max_value, summary_mode, "
                        + "goal, step_metric from metric_series where run_id = ? and point_count > 0 order by metric_key",
                (rs, i) -> new KeySummary(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5),
                        orNaN(rs.getObject(6, Double.class)), orNaN(rs.getObject(7, Double.class)), rs.getString(8), rs.getString(9),
                        rs.getString(10)),
                runId);
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    /**
     * A key's points between two steps (inclusive; null means open). With more than
     * {@code maxPoints} in the range, buckets stand for them (see {@link Downsampler}).
     */
    public History history(String runId, String key, int maxPoints, Long fromStep, Long toStep) {
        requireRun(runId);
        Long seriesId = seriesId(runId, key);
        if (seriesId == null) {
            return new History(key, 0, List.of());
        }
        Series series = cache.get(runId, seriesId, events.head(runId));
        String axis = null;
        Long sent = jdbc.queryForObject("select count(*) from metric_point_sent where series_id = ?", Long.class, seriesId);
        if (sent != null && sent > series.size) {
            // MLflow's API sent several points at some step (a log_metric loop without a step):
            // charted against their position, every one shows, where per step only the last would.
            series = sequenceOf(seriesId);
            axis = History.SEQUENCE;
        }
        int from = fromStep == null ? 0 : series.lowerBound(fromStep);
        int to = toStep == null ? series.size : series.upperBound(toStep);
        if (to <= from) {
            return new History(key, 0, List.of(), axis);
        }
        return new History(key, to - from, Downsampler.sample(series, from, to, maxPoints), axis);
    }

    /** The series' points as MLflow's API sent them, by step then time, each at its position. */
    private Series sequenceOf(long seriesId) {
        var buffer = new Object() {
            long[] positions = new long[1024];
            double[] values = new double[1024];
            long[] times = new long[1024];
            int size;
        };
        jdbc.query("select metric_value, wall_time from metric_point_sent where series_id = ? "
                + "order by step, wall_time, metric_value", rs -> {
                    if (buffer.size == buffer.positions.length) {
                        int capacity = buffer.size * 2;
                        buffer.positions = Arrays.copyOf(buffer.positions, capacity);
                        buffer.values = Arrays.copyOf(buffer.values, capacity);
                        buffer.times = Arrays.copyOf(buffer.times, capacity);
                    }
                    buffer.positions[buffer.size] = buffer.size;
                    buffer.values[buffer.size] = rs.getDouble(1);
                    buffer.times[buffer.size++] = rs.getLong(2);
                }, seriesId);
        return new Series(buffer.positions, buffer.values, buffer.times, buffer.size, 0);
    }

    /** Where a page of {@link #everyPoint} ends: the next page starts after this point. */
    public record Position(long step, long time, double value) {
    }

    /**
     * Up to {@code limit} points of a key after {@code after} (null: from the start), by step, then
     * time, then value. A series that received points through {@link #logEvery} reads from that
     * log, so every point sent at one step is there; any other from the store, one per step.
     */
    @Transactional(readOnly = true)
    public List<MetricPoint> everyPoint(String runId, String key, Position after, int limit) {
        requireRun(runId);
        Long seriesId = seriesId(runId, key);
        if (seriesId == null) {
            return List.of();
        }
        RowMapper<MetricPoint> row = (rs, i) -> new MetricPoint(key, rs.getLong(1), rs.getDouble(2), rs.getLong(3));
        if (hasSentPoints(seriesId)) {
            if (after == null) {
                return jdbc.query("select step, metric_value, wall_time from metric_point_sent where series_id = ? "
                        + "order by step, wall_time, metric_value fetch first ? rows only", row, seriesId, limit);
            }
            // NaN sorts above every number on both databases, in order by and in comparisons alike.
            return jdbc.query("select step, metric_value, wall_time from metric_point_sent where series_id = ? "
                    + "and (step > ? or (step = ? and (wall_time > ? or (wall_time = ? and metric_value > ?)))) "
                    + "order by step, wall_time, metric_value fetch first ? rows only",
                    row, seriesId, after.step(), after.step(), after.time(), after.time(), after.value(), limit);
        }
        long step = after == null ? Long.MIN_VALUE : after.step();
        // One point per step here: a page that ended inside a step cannot happen.
        return jdbc.query("select step, metric_value, wall_time from metric_point where series_id = ? and step > ? "
                + "order by step fetch first ? rows only", row, seriesId, step, limit);
    }

    private boolean hasSentPoints(long seriesId) {
        return !jdbc.queryForList("select 1 from metric_point_sent where series_id = ? fetch first 1 rows only", Integer.class,
                seriesId).isEmpty();
    }

    /** Writes {@code step,value,time} rows, oldest step first, straight from the store. */
    @Transactional(readOnly = true)
    public void exportCsv(String runId, String key, Writer out) {
        requireRun(runId);
        try {
            out.write("step,value,time\n");
            jdbc.query("select p.step, p.metric_value, p.wall_time from metric_series s join metric_point p on p.series_id = s.id "
                            + "where s.run_id = ? and s.metric_key = ? order by p.step",
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

    /**
     * A key's summary as SQL over a {@code metric_series} row aliased {@code s}: the value its
     * script set, else what its summary mode makes of its points (the last value by default).
     * The runs table sorts by the same expression it shows.
     */
    static final String SUMMARY_VALUE = "coalesce(s.summary_value, case s.summary_mode when 'min' then s.min_value "
            + "when 'max' then s.max_value when 'mean' then s.value_sum / nullif(s.value_count, 0) when 'none' then null "
            + "else s.last_value end)";

    /** Each key's summary, per run, by {@link #SUMMARY_VALUE}; keys whose summary is null are left out. */
    public Map<String, Map<String, Double>> summaries(Collection<String> runIds) {
        var result = new HashMap<String, Map<String, Double>>();
        if (runIds.isEmpty()) {
            return result;
        }
        named.query("select s.run_id, s.metric_key, " + SUMMARY_VALUE + " from metric_series s where s.run_id in (:ids) "
                        + "order by s.metric_key",
                Map.of("ids", runIds), rs -> {
                    double value = rs.getDouble(3);
                    if (!rs.wasNull()) {
                        result.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), value);
                    }
                });
        return result;
    }

    private static final String SERIES_SUMMARY = "select s.run_id, s.metric_key, s.summary_mode, " + SUMMARY_VALUE
            + ", s.last_value, s.last_step, s.min_value, s.max_value, s.value_sum / nullif(s.value_count, 0), s.point_count";

    /** Every summary of each key, per run and by key in order: what the runs table's columns pick from. */
    public Map<String, Map<String, SeriesSummary>> seriesSummaries(Collection<String> runIds) {
        var result = new HashMap<String, Map<String, SeriesSummary>>();
        if (runIds.isEmpty()) {
            return result;
        }
        named.query(SERIES_SUMMARY + " from metric_series s where s.run_id in (:ids) and s.point_count > 0 order by s.metric_key",
                Map.of("ids", runIds), rs -> {
                    result.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), new SeriesSummary(
                            rs.getString(2), rs.getString(3), rs.getObject(4, Double.class), rs.getObject(5, Double.class),
                            rs.getObject(6, Long.class), rs.getObject(7, Double.class), null, rs.getObject(8, Double.class), null,
                            rs.getObject(9, Double.class), rs.getLong(10)));
                });
        return result;
    }

    /**
     * A run's summary table: per key, its summaries and the first steps at which its min and its max
     * were logged. Those two are read from the points (through the series' primary key), so this is
     * for one run's page, not for a table of runs.
     */
    @Transactional(readOnly = true)
    public List<SeriesSummary> summaryOf(String runId) {
        requireRun(runId);
        return jdbc.query(SERIES_SUMMARY + ", (select min(p.step) from metric_point p where p.series_id = s.id and p.metric_value = s.min_value), "
                        + "(select min(p.step) from metric_point p where p.series_id = s.id and p.metric_value = s.max_value) "
                        + "from metric_series s where s.run_id = ? and s.point_count > 0 order by s.metric_key",
                (rs, i) -> new SeriesSummary(rs.getString(2), rs.getString(3), rs.getObject(4, Double.class), rs.getObject(5, Double.class),
                        rs.getObject(6, Long.class), rs.getObject(7, Double.class), rs.getObject(11, Long.class),
                        rs.getObject(8, Double.class), rs.getObject(12, Long.class), rs.getObject(9, Double.class), rs.getLong(10)),
                runId);
    }

    /**
     * Values a script set as its run's summary ({@code run.summary[key] = x}); they win over the
     * keys' summary modes. A null value takes a key's own back.
     */
    public void setSummary(String runId, String projectId, Map<String, Double> values) {
        if (values.isEmpty()) {
            return;
        }
        events.append(runId, projectId, RunEventType.UPDATED, Map.of("fields", List.of("summary")));
        Map<String, SeriesRow> series = seriesOfKeys(runId, values.keySet(), "summary");
        values.forEach((key, value) -> jdbc.update("update metric_series set summary_value = ? where id = ?",
                ps -> {
                    setNullable(ps, 1, value);
                    ps.setLong(2, series.get(key).id());
                }));
    }

    /** {@code define_metric}: a definition may come before the key's first point. */
    public void define(String runId, String projectId, Map<String, MetricDefinition> definitions) {
        if (definitions.isEmpty()) {
            return;
        }
        events.append(runId, projectId, RunEventType.UPDATED, Map.of("fields", List.of("metrics")));
        Map<String, SeriesRow> series = seriesOfKeys(runId, definitions.keySet(), "metrics");
        definitions.forEach((key, d) -> jdbc.update("update metric_series set summary_mode = coalesce(?, summary_mode), "
                + "goal = coalesce(?, goal), step_metric = coalesce(?, step_metric) where id = ?",
                d.summary(), d.goal(), d.stepMetric(), series.get(key).id()));
    }

    /** Each key's point at its highest step, with its wall time: what MLflow calls a run's latest metrics. */
    public List<MetricPoint> latest(String runId) {
        return latest(List.of(runId)).get(runId);
    }

    /** {@link #latest(String)} for a page of runs in one query; a run without points maps to an empty list. */
    public Map<String, List<MetricPoint>> latest(Collection<String> runIds) {
        var byRun = new HashMap<String, List<MetricPoint>>();
        runIds.forEach(id -> byRun.put(id, new ArrayList<>()));
        if (!runIds.isEmpty()) {
            named.query("select s.run_id, s.metric_key, p.step, p.metric_value, p.wall_time from metric_series s "
                    + "join metric_point p on p.series_id = s.id and p.step = s.last_step where s.run_id in (:ids) "
                    + "order by s.run_id, s.metric_key", Map.of("ids", runIds), rs -> {
                        byRun.get(rs.getString(1)).add(new MetricPoint(rs.getString(2), rs.getLong(3), rs.getDouble(4), rs.getLong(5)));
                    });
        }
        return byRun;
    }

    /** The step a resumed script goes on from: one past the highest it logged to any key, or 0. */
    public long nextStep(String runId) {
        Long last = jdbc.queryForObject("select max(last_step) from metric_series where run_id = ?", Long.class, runId);
        return last == null ? 0 : last + 1;
    }

    /** A run's points, in bulk: the cascade from its row that follows would delete them one by one. */
    void deletePointsOf(String runId) {
        jdbc.update("delete from metric_point where series_id in (select s.id from metric_series s where s.run_id = ?)", runId);
        jdbc.update("delete from metric_point_sent where series_id in (select s.id from metric_series s where s.run_id = ?)", runId);
    }

    void forgetRun(String runId) {
        cache.evictRun(runId);
    }

    private Long seriesId(String runId, String key) {
        return jdbc.query("select id from metric_series where run_id = ? and metric_key = ?", (rs, i) -> rs.getLong(1), runId, key)
                .stream().findFirst().orElse(null);
    }

    private void requireRun(String runId) {
        Integer n = jdbc.queryForObject("select count(*) from run where id = ?", Integer.class, runId);
        if (n == null || n == 0) {
            throw new NotFoundException("run", runId);
        }
    }
}
