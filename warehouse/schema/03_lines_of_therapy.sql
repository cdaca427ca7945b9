-- One row per line of therapy in the metastatic setting (SPEC.md, "Rules the numbers follow").
create table if not exists lines_of_therapy (
    doc_id               varchar not null,
    case_id              integer not null,
    line_no              integer not null check (line_no >= 1),
    regimen              varchar,
    drugs                varchar[] not null,
    start_date           date,
    start_date_precision varchar check (start_date_precision in ('day', 'month', 'year')),
    end_date             date,
    end_date_precision   varchar check (end_date_precision in ('day', 'month', 'year')),
    best_response        varchar check (best_response in ('CR', 'PR', 'SD', 'PD')),
    pfs_event            varchar check (pfs_event in ('progression', 'death')),
    pfs_event_date       date,
    pfs_months_reported  double,
    pfs_months           double check (pfs_months >= 0),
    pfs_consistent       boolean,
    page                 integer,
    evidence             varchar,
    curated              varchar,
    primary key (doc_id, case_id, line_no)
);
