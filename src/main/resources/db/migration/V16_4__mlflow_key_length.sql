-- MLflow allows metric, param and tag keys of up to 250 characters. Tags (mlflow_run_tag) and
-- run_config keys already take 250; a metric's key and a series' step metric took 200, so a
-- 250-character metric from an MLflow script was refused. run_config's text took 1000 characters,
-- cut short beyond, where an MLflow param value takes 6000: runs/search now filters params in SQL
-- on this column, so it holds a value whole, up to the longest config a run may have.
alter table metric_series alter column metric_key set data type varchar(250);
alter table metric_series alter column step_metric set data type varchar(250);
alter table run_config alter column text_value set data type varchar(200000);
