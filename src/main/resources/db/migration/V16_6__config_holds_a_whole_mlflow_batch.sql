-- MLflow's log-batch may carry 100 params of 6000 characters, about 625,000 characters as a run's
-- config JSON. The config took 200,000, so a batch within MLflow's own limits was refused. It now
-- takes 1,000,000 (RunManagement.MAX_CONFIG_CHARS), and run_config's text with it, so a value is
-- still never cut short there. Widening a varchar rewrites no rows on PostgreSQL.
alter table run alter column config set data type varchar(1000000);
alter table run_config alter column text_value set data type varchar(1000000);
