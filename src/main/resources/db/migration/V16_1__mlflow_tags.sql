-- MLflow's tags have values (mlflow.user = alice, mlflow.parentRunId = ...), where Trainyard's are
-- labels; they are kept beside the run. mlflow.runName and mlflow.note.content are not stored here:
-- they are the run's name and notes.
create table mlflow_run_tag (
    run_id    varchar(32)  not null references run (id) on delete cascade,
    tag_key   varchar(250) not null,
    tag_value varchar(8000) not null,
    primary key (run_id, tag_key)
);

-- MLflow's experiment tags, per project.
create table mlflow_experiment_tag (
    project_id varchar(32)  not null references project (id) on delete cascade,
    tag_key    varchar(250) not null,
    tag_value  varchar(8000) not null,
    primary key (project_id, tag_key)
);
