/* Lung cancer patients by driver alteration: the latest call of each driver gene tested
   (EGFR, ALK, ROS1, KRAS, BRAF, MET, RET, NTRK) with the variant printed, and each patient's
   first line of therapy in the advanced setting. A patient with no driver found is listed
   with the genes found wild-type. */
with lung as (
    select doc_id, case_id, cancer_type, stage, advanced_onset_date
    from cases
    where cancer_type in ('NSCLC', 'SCLC')
),
drivers as (
    select doc_id, case_id, marker, status, variant, method
    from case_biomarkers
    where marker in ('EGFR', 'ALK', 'ROS1', 'KRAS', 'BRAF', 'MET', 'RET', 'NTRK')
)
select p.doc_id, p.case_id, p.cancer_type, p.stage, p.advanced_onset_date,
       d.marker, d.status, d.variant, d.method,
       f.regimen as first_line, f.drugs as first_line_drugs, f.pfs_months as first_line_pfs
from lung p
left join drivers d using (doc_id, case_id)
left join lines_of_therapy f on f.doc_id = p.doc_id and f.case_id = p.case_id and f.line_no = 1
order by (d.status in ('mutated', 'positive', 'amplified')) desc nulls last, d.marker,
         p.doc_id, p.case_id
