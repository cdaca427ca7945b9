/* The mission's question: HER2-positive patients (the latest HER2 call of case_biomarkers,
   ASCO/CAP 2018: IHC 3+, or an equivocal IHC decided by an amplified ISH) and their lines that
   contained apatinib (stored under its DrugBank name, rivoceranib; the synonym table finds it
   however it was printed) after a line containing trastuzumab had progressed. */
with her2_positive as (
    select doc_id, case_id
    from case_biomarkers
    where marker = 'HER2' and status = 'positive'
),
apatinib as (
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
select l.doc_id, l.case_id, c.cancer_type, l.line_no, l.regimen, l.drugs, l.start_date,
       l.pfs_event_date, l.pfs_months, l.best_response
from lines_of_therapy l
join her2_positive using (doc_id, case_id)
join failed_trastuzumab f using (doc_id, case_id)
join cases c using (doc_id, case_id)
where l.line_no > f.first_failed_line
  and list_has_any(l.drugs, (select list(drug) from apatinib))
order by l.doc_id, l.case_id, l.line_no
