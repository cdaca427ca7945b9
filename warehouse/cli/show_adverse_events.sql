-- `caselines show`: the adverse events of one case.
select event, grade, drug, line_no, onset_date, action, page
from adverse_events
where doc_id = $doc_id and case_id = $case_id
order by onset_date nulls last, line_no nulls last, event
