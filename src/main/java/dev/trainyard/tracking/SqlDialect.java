package dev.trainyard.tracking;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.function.ToLongFunction;

import dev.trainyard.shared.db.Database;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How a batch of points is written: the one write whose fast form differs between H2 and
 * PostgreSQL. Everything else Trainyard runs is portable SQL. The points given hold each
 * (series, step) once: PostgreSQL refuses to update one row twice in one statement.
 */
enum SqlDialect {

    H2 {
        private static final int JDBC_BATCH = 1000;

        /** MERGE either way: on H2 a plain INSERT saved only about 7% of the store's own time (docs/BENCHMARKS.md). */
        @Override
        void insertPoints(JdbcTemplate jdbc, List<MetricPoint> points, ToLongFunction<MetricPoint> seriesId, long eventId) {
            upsertPoints(jdbc, points, seriesId, eventId);
        }

        @Override
        void upsertPoints(JdbcTemplate jdbc, List<MetricPoint> points, ToLongFunction<MetricPoint> seriesId, long eventId) {
            jdbc.batchUpdate("merge into metric_point (series_id, step, metric_value, wall_time, event_id) key (series_id, step) "
                    + "values (?, ?, ?, ?, ?)", points, JDBC_BATCH, (PreparedStatement ps, MetricPoint p) -> {
                        ps.setLong(1, seriesId.applyAsLong(p));
                        ps.setLong(2, p.step());
                        ps.setDouble(3, p.value());
                        ps.setLong(4, p.time());
                        ps.setLong(5, eventId);
                    });
        }
    },

    /**
     * New points go in by binary COPY, points that may overwrite by one upsert statement whose
     * columns are sent as binary arrays. Both carry doubles bit for bit (NaN and infinities too)
     * and have no bind-parameter limit to chunk around. Per point, the backend spends about 2.3 µs
     * on the COPY and 5.2 µs on the upsert, against 8 µs for a JDBC batch of single-row upserts
     * (see docs/BENCHMARKS.md).
     */
    POSTGRESQL {
        private static final byte[] COPY_HEADER = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
        /** A row: field count, then five 8-byte fields each behind its length. */
        private static final int COPY_ROW = 2 + 5 * (4 + 8);

        @Override
        void insertPoints(JdbcTemplate jdbc, List<MetricPoint> points, ToLongFunction<MetricPoint> seriesId, long eventId) {
            if (points.isEmpty()) {
                return;
            }
            jdbc.execute((ConnectionCallback<Long>) con -> {
                CopyIn copy = con.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("copy metric_point (series_id, step, metric_value, wall_time, event_id) from stdin (format binary)");
                try {
                    ByteBuffer rows = ByteBuffer.allocate(Math.min(1 << 16, COPY_HEADER.length + points.size() * COPY_ROW + 2));
                    rows.put(COPY_HEADER);
                    for (MetricPoint p : points) {
                        if (rows.remaining() < COPY_ROW) {
                            copy.writeToCopy(rows.array(), 0, rows.position());
                            rows.clear();
                        }
                        rows.putShort((short) 5)
                                .putInt(8).putLong(seriesId.applyAsLong(p))
                                .putInt(8).putLong(p.step())
                                .putInt(8).putDouble(p.value())
                                .putInt(8).putLong(p.time())
                                .putInt(8).putLong(eventId);
                    }
                    if (rows.remaining() < 2) {
                        copy.writeToCopy(rows.array(), 0, rows.position());
                        rows.clear();
                    }
                    rows.putShort((short) -1);
                    copy.writeToCopy(rows.array(), 0, rows.position());
                    return copy.endCopy();
                } finally {
                    if (copy.isActive()) {
                        copy.cancelCopy();
                    }
                }
            });
        }

        @Override
        void upsertPoints(JdbcTemplate jdbc, List<MetricPoint> points, ToLongFunction<MetricPoint> seriesId, long eventId) {
            if (points.isEmpty()) {
                return;
            }
            int n = points.size();
            long[] seriesIds = new long[n];
            long[] steps = new long[n];
            double[] values = new double[n];
            long[] times = new long[n];
            for (int i = 0; i < n; i++) {
                MetricPoint p = points.get(i);
                seriesIds[i] = seriesId.applyAsLong(p);
                steps[i] = p.step();
                values[i] = p.value();
                times[i] = p.time();
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

    /**
     * Keeps every point in {@code metric_point_sent}; one already there (same series, step, time and
     * value) is left as it is. Single-row statements in a JDBC batch, so a batch may repeat a point.
     */
    void upsertSentPoints(JdbcTemplate jdbc, List<MetricPoint> points, ToLongFunction<MetricPoint> seriesId) {
        String sql = this == H2
                ? "merge into metric_point_sent (series_id, step, wall_time, metric_value) key (series_id, step, wall_time, metric_value) "
                + "values (?, ?, ?, ?)"
                : "insert into metric_point_sent (series_id, step, wall_time, metric_value) values (?, ?, ?, ?) "
                + "on conflict do nothing";
        jdbc.batchUpdate(sql, points, 1000, (PreparedStatement ps, MetricPoint p) -> {
            ps.setLong(1, seriesId.applyAsLong(p));
            ps.setLong(2, p.step());
            ps.setLong(3, p.time());
            ps.setDouble(4, p.value());
        });
    }

    /** Inserts points that the caller knows are not stored yet. */
    abstract void insertPoints(JdbcTemplate jdbc, List<MetricPoint> points, ToLongFunction<MetricPoint> seriesId, long eventId);

    /** Inserts the points, or overwrites the stored ones with the same (series, step). */
    abstract void upsertPoints(JdbcTemplate jdbc, List<MetricPoint> points, ToLongFunction<MetricPoint> seriesId, long eventId);

    static SqlDialect of(Database database) {
        return database.isPostgres() ? POSTGRESQL : H2;
    }
}
