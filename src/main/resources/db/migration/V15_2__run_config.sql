-- A run's config flattened to one row per dotted key, so that runs of both kinds sort and filter
-- by a config value in SQL on H2 and PostgreSQL alike (issue #15). Kept by RunConfigIndex whenever
-- a run's config is written; V15_3 fills it for existing runs. A number also has num_value.
create table run_config (
    run_id      varchar(32)   not null references run (id) on delete cascade,
    config_key  varchar(250)  not null,
    text_value  varchar(1000),
    num_value   double precision,
    primary key (run_id, config_key)
);
create index run_config_by_key on run_config (config_key, num_value);
