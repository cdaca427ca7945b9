-- `caselines show`: the death of one case, as told (events of kind 'death').
select event_date, event_date_precision, page, evidence
from events
where doc_id = $doc_id and case_id = $case_id and kind = 'death'
order by event_date nulls last, page
