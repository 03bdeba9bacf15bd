-- MLflow keeps every point it is sent: a loop of log_metric("loss", v) without a step sends each
-- value at step 0 with a later timestamp, and get-history returns them all. Trainyard's own
-- metric_point keeps the last value per (series, step), which its summaries, runs table, live
-- stream and compare read, and which its own API's retries rely on. So points that come through
-- the MLflow API go into both: metric_point as ever, and this log of every point as MLflow keys
-- it, (series, step, timestamp, value), so an MLflow client's retry still overwrites rather than
-- doubles, while two values sent at one step in one millisecond are both kept, as MLflow keeps them.
-- No foreign key, as for metric_point: writers hold the run's lock and run deletion clears it.
create table metric_point_sent (
    series_id    bigint not null,
    step         bigint not null,
    wall_time    bigint not null,
    metric_value double precision not null,
    primary key (series_id, step, wall_time, metric_value)
);
