-- `caselines show`: every line of therapy of one case, in order.
select line_no, regimen, drugs, start_date, start_date_precision, end_date, end_date_precision,
       best_response, pfs_months, pfs_months_reported, pfs_event, pfs_event_date, page
from lines_of_therapy
where doc_id = $doc_id and case_id = $case_id
order by line_no
