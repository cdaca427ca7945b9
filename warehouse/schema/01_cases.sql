-- One row per patient; case_id numbers the patients in the order the article presents them.
create table if not exists cases (
    doc_id                  varchar not null,
    case_id                 integer not null,
    age                     integer,
    sex                     varchar check (sex in ('female', 'male')),
    primary_site            varchar,
    histology               varchar,
    grade                   varchar,
    diagnosis_date          date,
    diagnosis_date_precision varchar check (diagnosis_date_precision in ('day', 'month', 'year')),
    death_date              date,
    death_date_precision    varchar check (death_date_precision in ('day', 'month', 'year')),
    stage                   varchar,
    cancer_type             varchar,
    advanced_onset_date     date,
    advanced_onset_date_precision varchar
        check (advanced_onset_date_precision in ('day', 'month', 'year')),
    page                    integer,
    evidence                varchar,
    curated                 varchar,
    primary key (doc_id, case_id)
);
