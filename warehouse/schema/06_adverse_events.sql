-- One row per adverse event; grade is the CTCAE grade (1-5) where printed.
create table if not exists adverse_events (
    doc_id      varchar not null,
    case_id     integer not null,
    line_no     integer,
    event       varchar not null,
    grade       integer check (grade between 1 and 5),
    drug        varchar,
    onset_date  date,
    action      varchar,
    page        integer not null,
    evidence    varchar not null,
    curated     varchar
);
