-- PFS of every line of therapy, ordered by document, case and line (SPEC.md).
create or replace view pfs_by_line as
select
    doc_id,
    case_id,
    line_no,
    regimen,
    drugs,
    start_date,
    pfs_event_date,
    pfs_months,
    pfs_months_reported,
    best_response
from lines_of_therapy
order by doc_id, case_id, line_no;
