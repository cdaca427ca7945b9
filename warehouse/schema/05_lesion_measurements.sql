-- One row per lesion measured at a date (from captions and text).
create table if not exists lesion_measurements (
    doc_id       varchar not null,
    case_id      integer not null,
    measured_on  date,
    site         varchar,
    dim1_cm      double not null check (dim1_cm > 0),
    dim2_cm      double check (dim2_cm > 0),
    lymph_node   boolean not null default false,
    figure       varchar,
    panel        varchar,
    page         integer not null,
    evidence     varchar not null,
    curated      varchar
);
