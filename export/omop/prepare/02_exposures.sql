-- One row per drug exposure of an exported case, with its OMOP id and OMOP dates.
-- drug_exposure_id numbers exposures in (doc_id, case_id, exposure_no) order.
-- Start date (required): the printed start, else the earliest printed start of the same
-- regimen (exposures given together), else the line's start, else the case's anchor.
-- End date (required): the printed end, else the start (the OHDSI convention when no end
-- and no days' supply is known), never before the start; verbatim_end_date keeps the
-- printed end only.
create temp table x_exposure as
with regimen_start as (
    select doc_id, case_id, episode, min(start_date) as regimen_start_date
    from drug_exposures
    group by doc_id, case_id, episode
)
select
    row_number() over (order by e.doc_id, e.case_id, e.exposure_no)::integer
        as drug_exposure_id,
    p.person_id,
    e.doc_id,
    e.case_id,
    e.exposure_no,
    e.line_no,
    e.drug,
    e.drug_id,
    e.drug_as_printed,
    e.dose_amount,
    e.dose_unit,
    e.schedule,
    e.route,
    e.setting,
    e.role,
    e.cycles,
    e.start_date_precision,
    e.end_date,
    e.end_date_precision,
    e.page,
    e.evidence,
    coalesce(e.start_date, r.regimen_start_date, l.start_date, p.anchor_date) as start_date,
    case
        when e.start_date is not null then null
        when r.regimen_start_date is not null then 'regimen_start'
        when l.start_date is not null then 'line_start'
        else p.anchor_from
    end as start_date_from,
    p.pipeline_version,
    p.ingested_at
from drug_exposures e
join x_person p using (doc_id, case_id)
left join regimen_start r using (doc_id, case_id, episode)
left join lines_of_therapy l using (doc_id, case_id, line_no);
