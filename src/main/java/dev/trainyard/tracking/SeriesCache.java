package dev.trainyard.tracking;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps recently read series in memory so that a history query over a million points is a pass
 * over arrays, not a scan of the table. An entry is brought up to date from the store on each
 * read by fetching only the points written by events newer than it has seen, which stays correct
 * when another process writes to the same database.
 */
@Component
class SeriesCache {

    /**
     * @param maxPoints how many points all cached series may hold together (24 bytes each)
     */
    @ConfigurationProperties("trainyard.metrics.cache")
    record Settings(Integer maxPoints) {
        Settings {
            maxPoints = maxPoints == null ? 8_000_000 : maxPoints;
        }
    }

    private record Key(String runId, long seriesId) {
    }

    private final JdbcTemplate jdbc;
    private final long budget;
    private final Map<Key, Series> entries = new LinkedHashMap<>(64, 0.75f, true);
    private final Object[] stripes = new Object[64];
    private long cachedPoints;

    SeriesCache(JdbcTemplate jdbc, Settings settings) {
        this.jdbc = jdbc;
        this.budget = settings.maxPoints();
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    /** The series as of {@code head}, its run's newest event id. */
    Series get(String runId, long seriesId, long head) {
        var key = new Key(runId, seriesId);
        Series cached;
        synchronized (this) {
            cached = entries.get(key);
        }
        if (cached != null && cached.asOfEvent >= head) {
            return cached;
        }
        // Merges for one series are serialised so that two appends never share spare capacity.
        synchronized (stripes[Math.floorMod(key.hashCode(), stripes.length)]) {
            synchronized (this) {
                cached = entries.get(key);
            }
            if (cached != null && cached.asOfEvent >= head) {
                return cached;
            }
            Series base = cached == null ? Series.empty() : cached;
            Series fresh = loadSince(seriesId, base, head);
            store(key, cached, fresh);
            return fresh;
        }
    }

    synchronized void evictRun(String runId) {
        entries.entrySet().removeIf(e -> {
            if (e.getKey().runId().equals(runId)) {
                cachedPoints -= e.getValue().size;
                return true;
            }
            return false;
        });
    }

    private Series loadSince(long seriesId, Series base, long head) {
        var delta = new DeltaBuffer();
        jdbc.query("select step, metric_value, wall_time from metric_point "
                        + "where series_id = ? and event_id > ? and event_id <= ? order by step",
                rs -> {
                    delta.add(rs.getLong(1), rs.getDouble(2), rs.getLong(3));
                }, seriesId, base.asOfEvent, head);
        return base.merge(delta.steps, delta.values, delta.times, delta.size, head);
    }

    private synchronized void store(Key key, Series previous, Series fresh) {
        cachedPoints += fresh.size - (previous == null ? 0 : previous.size);
        entries.put(key, fresh);
        var eldest = entries.entrySet().iterator();
        while (cachedPoints > budget && entries.size() > 1 && eldest.hasNext()) {
            var e = eldest.next();
            if (e.getKey().equals(key)) {
                continue;
            }
            cachedPoints -= e.getValue().size;
            eldest.remove();
        }
    }

    /** A growable column buffer for rows read from JDBC. */
    private static final class DeltaBuffer {
        long[] steps = new long[256];
        double[] values = new double[256];
        long[] times = new long[256];
        int size;

        void add(long step, double value, long time) {
            if (size == steps.length) {
                int capacity = size * 2;
                steps = Arrays.copyOf(steps, capacity);
                values = Arrays.copyOf(values, capacity);
                times = Arrays.copyOf(times, capacity);
            }
            steps[size] = step;
            values[size] = value;
            times[size++] = time;
        }
    }
}
