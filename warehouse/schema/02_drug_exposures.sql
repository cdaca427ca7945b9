-- One row per drug given in a regimen. line_no is null outside the metastatic lines.
-- role: only 'antineoplastic' exposures make lines (transform/timeline/roles.py); a
-- 'supportive' or 'other' one has setting and line_no null.
create table if not exists drug_exposures (
    doc_id               varchar not null,
    case_id              integer not null,
    exposure_no          integer not null,
    episode              integer not null,
    setting              varchar check (setting in ('adjuvant', 'neoadjuvant', 'metastatic')),
    line_no              integer,
    regimen              varchar,
    drug                 varchar not null,
    drug_id              varchar,
    drug_as_printed      varchar not null,
    drug_class           varchar,
    dose_amount          double,
    dose_unit            varchar,
    schedule             varchar,
    route                varchar,
    start_date           date,
    start_date_precision varchar check (start_date_precision in ('day', 'month', 'year')),
    end_date             date,
    end_date_precision   varchar check (end_date_precision in ('day', 'month', 'year')),
    cycles               integer,
    maintenance          boolean not null default false,
    role                 varchar not null check (role in ('antineoplastic', 'supportive', 'other')),
    page                 integer not null,
    evidence             varchar not null,
    curated              varchar,
    primary key (doc_id, case_id, exposure_no)
);
