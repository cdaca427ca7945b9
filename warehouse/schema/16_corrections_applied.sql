-- One row per field a researcher's correction set (or per row it removed or added), with the
-- machine's value beside the curated one; a correction whose target is no longer found is
-- kept with status 'stale' and the reason, never applied to another row (docs/corrections.md).
create table if not exists corrections_applied (
    doc_id         varchar not null,
    correction_no  integer not null check (correction_no >= 1),
    case_id        integer,
    target_row     varchar not null check (target_row in ('document', 'case', 'line', 'exposure',
                       'assessment', 'adverse_event', 'lesion', 'event')),
    target         varchar not null,
    action         varchar not null check (action in ('set', 'remove', 'add')),
    field          varchar,
    machine_value  varchar,
    curated_value  varchar,
    why            varchar not null,
    made_by        varchar not null,
    made_on        date not null,
    status         varchar not null check (status in ('applied', 'stale')),
    reason         varchar,
    source         varchar not null
);
