package dev.trainyard.tracking;

import dev.trainyard.shared.Database;

/**
 * The statement whose fast, idempotent form differs between H2 and PostgreSQL. Everything else
 * Trainyard runs is portable SQL.
 */
enum SqlDialect {

    H2("merge into metric_point (series_id, step, metric_value, wall_time, event_id) key (series_id, step) "
            + "values (?, ?, ?, ?, ?)"),

    POSTGRESQL("insert into metric_point (series_id, step, metric_value, wall_time, event_id) values (?, ?, ?, ?, ?) "
            + "on conflict (series_id, step) do update set metric_value = excluded.metric_value, "
            + "wall_time = excluded.wall_time, event_id = excluded.event_id");

    /** Parameters: series id, step, value, wall time, event id. */
    final String upsertPoint;

    SqlDialect(String upsertPoint) {
        this.upsertPoint = upsertPoint;
    }

    static SqlDialect of(Database database) {
        return database.isPostgres() ? POSTGRESQL : H2;
    }
}
