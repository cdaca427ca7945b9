-- One row per response assessment (RECIST 1.1 categories).
create table if not exists assessments (
    doc_id       varchar not null,
    case_id      integer not null,
    line_no      integer,
    assessed_on  date,
    modality     varchar,
    response     varchar not null check (response in ('CR', 'PR', 'SD', 'PD')),
    best         boolean not null default false,
    page         integer not null,
    evidence     varchar not null,
    curated      varchar
);
