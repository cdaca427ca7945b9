/* Lines that contained apatinib (however printed: the synonym table maps it to its DrugBank
   name) given after a line containing trastuzumab had progressed, and how long they held. */
with apatinib as (
    select drug from drug_synonyms where synonym = 'apatinib'
),
trastuzumab as (
    select drug from drug_synonyms where synonym = 'trastuzumab'
),
failed_trastuzumab as (
    select doc_id, case_id, min(line_no) as first_failed_line
    from lines_of_therapy
    where pfs_event = 'progression'
      and list_has_any(drugs, (select list(drug) from trastuzumab))
    group by doc_id, case_id
)
select l.doc_id, l.case_id, l.line_no, l.regimen, l.drugs, l.start_date, l.pfs_event_date,
       l.pfs_months, l.best_response
from lines_of_therapy l
join failed_trastuzumab f using (doc_id, case_id)
where l.line_no > f.first_failed_line
  and list_has_any(l.drugs, (select list(drug) from apatinib))
order by l.doc_id, l.case_id, l.line_no
