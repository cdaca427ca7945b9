-- One row per dated clinical event (surgery, radiotherapy, imaging, progression, death, ...).
create table if not exists events (
    doc_id               varchar not null,
    case_id              integer not null,
    event_date           date,
    event_date_precision varchar check (event_date_precision in ('day', 'month', 'year')),
    kind                 varchar not null check (kind in ('diagnosis', 'surgery', 'radiotherapy',
                             'imaging', 'pathology', 'metastasis', 'recurrence', 'progression',
                             'death', 'dose_change', 'treatment_stop')),
    detail               varchar,
    page                 integer not null,
    evidence             varchar not null,
    curated              varchar
);
