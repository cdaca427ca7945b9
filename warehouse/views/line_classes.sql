-- The distinct drug classes of each line of therapy, sorted (its antineoplastic exposures'
-- drug_class): what patient_lines and line_sequences label a line with, defined once.
create or replace view line_classes as
select doc_id, case_id, line_no,
       list(distinct drug_class order by drug_class)
           filter (where drug_class is not null) as drug_classes
from drug_exposures
where line_no is not null and role = 'antineoplastic'
group by doc_id, case_id, line_no;
