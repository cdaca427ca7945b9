-- One row per ingested PDF. doc_id is the SHA-256 of the PDF's bytes, so a moved or
-- renamed file is the same document and a changed file is a new one.
create table if not exists documents (
    doc_id            varchar primary key,
    path              varchar not null,
    title             varchar,
    doi               varchar,
    journal           varchar,
    year              integer,
    volume            varchar,
    issue             varchar,
    pages             varchar,
    n_pages           integer not null,
    n_cases           integer not null,
    pfs_month_days    double not null check (pfs_month_days in (30, 30.4375)),
    pipeline_version  varchar not null,
    ingested_at       timestamp not null,
    warnings          varchar[]
);
