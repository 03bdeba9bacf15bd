-- A run's console: the lines its job's worker or its script's client captured. seq numbers a run's
-- lines from 1 and is never reused, so a reader's cursor (?after=seq) stays valid while the oldest
-- lines are dropped past trainyard.logs.max-lines-per-run; dropped counts them for the Logs tab.
create table run_log (
    run_id   varchar(32) primary key references run (id) on delete cascade,
    last_seq bigint not null,
    dropped  bigint not null
);

create table run_log_line (
    run_id    varchar(32)    not null references run (id) on delete cascade,
    seq       bigint         not null,
    stream    varchar(8)     not null,
    line      varchar(10000) not null,
    wall_time bigint         not null,
    primary key (run_id, seq)
);
