-- The events of each oncology case as the pipeline found them, before any correction, as
-- JSON of transform.records.CaseEvents: what `caselines apply-corrections` derives the
-- lines, PFS and audit from again without re-reading the PDF.
create table if not exists machine_events (
    doc_id   varchar not null,
    case_id  integer not null,
    events   json not null,
    primary key (doc_id, case_id)
);
