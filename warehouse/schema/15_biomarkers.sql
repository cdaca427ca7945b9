-- One row per biomarker result told of a patient (transform/events/biomarkers.py); status by
-- the rules of docs/rules.md (HER2 ASCO/CAP 2018, ER/PR ASCO/CAP 2020, PD-L1 as printed).
create table if not exists biomarkers (
    doc_id              varchar not null,
    case_id             integer not null,
    biomarker_no        integer not null,
    marker              varchar not null,
    method              varchar,
    result              varchar not null,
    status              varchar check (status in ('positive', 'negative', 'equivocal',
                            'amplified', 'not amplified', 'mutated', 'wild-type', 'high', 'low',
                            'deficient', 'proficient')),
    value               double,
    value_type          varchar check (value_type in ('percent', 'ihc_score', 'ratio', 'tps',
                            'cps')),
    variant             varchar,
    specimen            varchar,
    test_date           date,
    test_date_precision varchar check (test_date_precision in ('day', 'month', 'year')),
    negated             boolean not null,
    page                integer not null,
    evidence            varchar not null,
    primary key (doc_id, case_id, biomarker_no)
);
