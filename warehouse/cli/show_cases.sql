-- `caselines show`: the case(s) shown; $case_id null for every case of the document.
select case_id, age, sex, primary_site, histology, diagnosis_date, diagnosis_date_precision,
       death_date, death_date_precision, page, evidence
from cases
where doc_id = $doc_id and ($case_id is null or case_id = $case_id)
order by case_id
