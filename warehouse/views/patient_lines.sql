-- One row per patient and line of therapy: who the patient is, what the line gave, and how
-- its progression-free survival ended, with the censoring date of a line that has no
-- progression or death (docs/rules.md, "PFS censoring"). The report's cohort table and
-- `caselines cohort` print it; pfs_survival reads its censoring.
create or replace view patient_lines as
with dated_facts as (
    -- every dated fact of a patient: the latest is the last day the patient was known alive
    -- and followed (their last dated event)
    select doc_id, case_id, event_date as day from events
    union all select doc_id, case_id, assessed_on from assessments
    union all select doc_id, case_id, measured_on from lesion_measurements
    union all select doc_id, case_id, onset_date from adverse_events
    union all select doc_id, case_id, start_date from drug_exposures
    union all select doc_id, case_id, end_date from drug_exposures
    union all select doc_id, case_id, start_date from lines_of_therapy
    union all select doc_id, case_id, end_date from lines_of_therapy
),
last_seen as (
    select doc_id, case_id, max(day) as last_date from dated_facts group by doc_id, case_id
),
ordered as (
    select l.*,
           lead(l.start_date) over w as next_start,
           lead(l.line_no) over w is null as is_last
    from lines_of_therapy l
    window w as (partition by l.doc_id, l.case_id order by l.line_no)
),
censored as (
    select o.*,
           case
               when o.pfs_event is not null then null
               when o.next_start is not null then 'next_line_start'
               when o.is_last and s.last_date is not null then 'last_follow_up'
               when o.end_date is not null then 'line_end'
           end as censor_basis,
           case
               when o.pfs_event is not null then null
               when o.next_start is not null then o.next_start
               when o.is_last and s.last_date is not null then s.last_date
               else o.end_date
           end as censored_on
    from ordered o
    left join last_seen s using (doc_id, case_id)
)
select
    c.doc_id,
    c.case_id,
    d.title,
    d.doi,
    p.age,
    p.sex,
    p.primary_site,
    p.histology,
    p.cancer_type,
    p.stage,
    c.line_no,
    c.regimen,
    c.drugs,
    coalesce(k.drug_classes, []::varchar[]) as drug_classes,
    c.start_date,
    c.start_date_precision,
    c.end_date,
    c.end_date_precision,
    c.pfs_months,
    c.pfs_months_reported,
    c.pfs_event,
    c.pfs_event_date,
    c.censored_on,
    c.censor_basis,
    c.best_response,
    c.page,
    c.evidence
from censored c
left join documents d using (doc_id)
left join cases p using (doc_id, case_id)
left join line_classes k using (doc_id, case_id, line_no)
order by c.doc_id, c.case_id, c.line_no;
