-- `caselines drug`: where the stored drugs appear (exposures, by document, case and line).
select e.doc_id, d.path as document, e.case_id, e.line_no, e.drug, e.drug_as_printed,
       e.dose_amount, e.dose_unit, e.page
from drug_exposures e
join documents d using (doc_id)
where list_contains($drugs, e.drug)
order by d.path, e.case_id, e.line_no nulls last, e.exposure_no
