package dev.trainyard.tracking;

import java.sql.PreparedStatement;
import java.util.Collection;
import java.util.Map;

import dev.trainyard.shared.Database;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How a batch of points is upserted: the one write whose fast, idempotent form differs between H2
 * and PostgreSQL. Everything else Trainyard runs is portable SQL. The points given hold each
 * (key, step) once: PostgreSQL refuses to update one row twice in one statement.
 */
enum SqlDialect {

    H2 {
        private static final int JDBC_BATCH = 1000;

        @Override
        void upsertPoints(JdbcTemplate jdbc, Collection<MetricPoint> points, Map<String, Long> series, long eventId) {
            jdbc.batchUpdate("merge into metric_point (series_id, step, metric_value, wall_time, event_id) key (series_id, step) "
                    + "values (?, ?, ?, ?, ?)", points, JDBC_BATCH, (PreparedStatement ps, MetricPoint p) -> {
                        ps.setLong(1, series.get(p.key()));
                        ps.setLong(2, p.step());
                        ps.setDouble(3, p.value());
                        ps.setLong(4, p.time());
                        ps.setLong(5, eventId);
                    });
        }
    },

    /**
     * One statement per batch, its columns sent as binary arrays: about half the server CPU per
     * point of a JDBC batch of single-row upserts, with no bind-parameter limit to chunk around
     * (see docs/BENCHMARKS.md for the measurement).
     */
    POSTGRESQL {
        @Override
        void upsertPoints(JdbcTemplate jdbc, Collection<MetricPoint> points, Map<String, Long> series, long eventId) {
            int n = points.size();
            long[] seriesIds = new long[n];
            long[] steps = new long[n];
            double[] values = new double[n];
            long[] times = new long[n];
            int i = 0;
            for (MetricPoint p : points) {
                seriesIds[i] = series.get(p.key());
                steps[i] = p.step();
                values[i] = p.value();
                times[i++] = p.time();
            }
            jdbc.update("insert into metric_point (series_id, step, metric_value, wall_time, event_id) "
                    + "select p.series_id, p.step, p.metric_value, p.wall_time, ? "
                    + "from unnest(?::bigint[], ?::bigint[], ?::double precision[], ?::bigint[]) as p (series_id, step, metric_value, wall_time) "
                    + "on conflict (series_id, step) do update set metric_value = excluded.metric_value, "
                    + "wall_time = excluded.wall_time, event_id = excluded.event_id", ps -> {
                        ps.setLong(1, eventId);
                        ps.setObject(2, seriesIds);
                        ps.setObject(3, steps);
                        ps.setObject(4, values);
                        ps.setObject(5, times);
                    });
        }
    };

    /** Inserts the points, or overwrites the stored ones with the same (series, step). */
    abstract void upsertPoints(JdbcTemplate jdbc, Collection<MetricPoint> points, Map<String, Long> series, long eventId);

    static SqlDialect of(Database database) {
        return database.isPostgres() ? POSTGRESQL : H2;
    }
}
