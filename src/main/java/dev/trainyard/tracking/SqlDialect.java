package dev.trainyard.tracking;


import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcUtils;

/**
 * The two statements whose fast, idempotent form differs between H2 and PostgreSQL. Everything
 * else Trainyard runs is portable SQL.
 */
enum SqlDialect {

    H2("merge into metric_point (run_id, metric_key, step, metric_value, wall_time, event_id) "
            + "key (run_id, metric_key, step) values (?, ?, ?, ?, ?, ?)",
            "merge into run_summary s using (values (cast(? as varchar(32)), cast(? as varchar(200)), cast(? as bigint), cast(? as double precision))) "
            + "as v(run_id, metric_key, step, metric_value) on s.run_id = v.run_id and s.metric_key = v.metric_key "
            + "when matched and v.step >= s.step then update set step = v.step, metric_value = v.metric_value "
            + "when not matched then insert (run_id, metric_key, step, metric_value) values (v.run_id, v.metric_key, v.step, v.metric_value)"),

    POSTGRESQL("insert into metric_point (run_id, metric_key, step, metric_value, wall_time, event_id) values (?, ?, ?, ?, ?, ?) "
            + "on conflict (run_id, metric_key, step) do update set metric_value = excluded.metric_value, "
            + "wall_time = excluded.wall_time, event_id = excluded.event_id",
            "insert into run_summary (run_id, metric_key, step, metric_value) values (?, ?, ?, ?) "
            + "on conflict (run_id, metric_key) do update set step = excluded.step, metric_value = excluded.metric_value "
            + "where excluded.step >= run_summary.step");

    /** Parameters: run id, key, step, value, wall time, event id. */
    final String upsertPoint;
    /** Parameters: run id, key, step, value. Keeps the point with the highest step. */
    final String upsertSummary;

    SqlDialect(String upsertPoint, String upsertSummary) {
        this.upsertPoint = upsertPoint;
        this.upsertSummary = upsertSummary;
    }

    static SqlDialect of(DataSource dataSource) {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource, meta -> meta.getDatabaseProductName());
            return product.toLowerCase().contains("postgres") ? POSTGRESQL : H2;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot tell which database this is", e);
        }
    }
}
