-- Each series' point count and first step, so that a run's key summary reads no point (issue #17),
-- and its min, max, sum and count summed up again: until now a re-sent or out-of-order point could
-- leave them inexact. NaN is left out of min/max/sum/count as in V12_1: it sorts above Infinity.
alter table metric_series add column point_count bigint;
alter table metric_series add column first_step bigint;

update metric_series set
    point_count = (select count(*) from metric_point p where p.series_id = metric_series.id),
    first_step = (select min(p.step) from metric_point p where p.series_id = metric_series.id),
    min_value = (select min(p.metric_value) from metric_point p where p.series_id = metric_series.id and p.metric_value <= cast('Infinity' as double precision)),
    max_value = (select max(p.metric_value) from metric_point p where p.series_id = metric_series.id and p.metric_value <= cast('Infinity' as double precision)),
    value_sum = (select sum(p.metric_value) from metric_point p where p.series_id = metric_series.id and p.metric_value <= cast('Infinity' as double precision)),
    value_count = (select count(*) from metric_point p where p.series_id = metric_series.id and p.metric_value <= cast('Infinity' as double precision));
