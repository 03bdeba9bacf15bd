-- Uploaded text datasets. The text itself is a file under <data-dir>/datasets, named by id.
create table dataset (
    id         varchar(32)  primary key,
    name       varchar(200) not null,
    bytes      bigint       not null,
    characters bigint       not null,
    vocabulary varchar(4000) not null,
    created_at timestamp with time zone not null
);

-- Text a job generated as it trained, so one can watch it improve.
create table run_sample (
    run_id     varchar(32) not null references run (id) on delete cascade,
    epoch      int         not null,
    text       varchar(20000) not null,
    exact      boolean,
    created_at timestamp with time zone not null,
    primary key (run_id, epoch)
);

-- A sweep launches a grid of jobs; its runs share the sweep's id as their group.
create table sweep (
    id         varchar(32)  primary key,
    project_id varchar(32)  not null references project (id) on delete cascade,
    name       varchar(200) not null,
    request    varchar(20000) not null,
    created_at timestamp with time zone not null
);

alter table run add column group_id varchar(32);
create index run_group on run (group_id);
