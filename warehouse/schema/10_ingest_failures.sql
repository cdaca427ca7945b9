-- One row per PDF that failed, per run; the stage says where ('discover', 'extract',
-- 'transform', 'load') and message is a one-line reason.
create table if not exists ingest_failures (
    path       varchar not null,
    sha256     varchar,
    stage      varchar not null check (stage in ('discover', 'extract', 'transform', 'load')),
    error      varchar not null,
    message    varchar not null,
    failed_at  timestamp not null,
    run_id     varchar
);
