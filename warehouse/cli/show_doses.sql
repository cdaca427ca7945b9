-- `caselines show`: the antineoplastic drug exposures of one case, by line, with doses.
select line_no, drug, drug_as_printed, dose_amount, dose_unit, schedule, route, cycles, page
from drug_exposures
where doc_id = $doc_id and case_id = $case_id and role = 'antineoplastic'
order by line_no nulls last, exposure_no
