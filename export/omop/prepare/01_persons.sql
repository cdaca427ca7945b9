-- One row per exportable case: the OMOP person_id and the case's anchor date.
-- person_id numbers the cases in (doc_id, case_id) order: stable for the same warehouse.
-- The anchor is the date of last resort for a required OMOP date the article does not give:
-- the diagnosis date, else the case's earliest dated fact, else 1 January of the article's
-- year, else the day the document was ingested. PERSON.year_of_birth is required and only
-- the printed age can give it, so a case without an age is not exported (the export lists it).
create temp table x_case_dates as
select doc_id, case_id, start_date as d from drug_exposures where start_date is not null
union all
select doc_id, case_id, end_date from drug_exposures where end_date is not null
union all
select doc_id, case_id, start_date from lines_of_therapy where start_date is not null
union all
select doc_id, case_id, event_date from events where event_date is not null;

create temp table x_person as
with first_dates as (
    select doc_id, case_id, min(d) as first_date from x_case_dates group by doc_id, case_id
)
select
    row_number() over (order by c.doc_id, c.case_id)::integer as person_id,
    c.doc_id,
    c.case_id,
    c.age,
    c.sex,
    c.primary_site,
    c.histology,
    c.grade,
    c.diagnosis_date,
    c.diagnosis_date_precision,
    c.death_date,
    c.death_date_precision,
    c.page,
    c.evidence,
    d.title,
    d.doi,
    d.year as publication_year,
    d.pipeline_version,
    d.ingested_at,
    coalesce(
        c.diagnosis_date, f.first_date, make_date(d.year, 1, 1), d.ingested_at::date
    ) as anchor_date,
    case
        when c.diagnosis_date is not null then 'diagnosis_date'
        when f.first_date is not null then 'earliest_dated_fact'
        when d.year is not null then 'publication_year'
        else 'ingested_at'
    end as anchor_from
from cases c
join documents d using (doc_id)
left join first_dates f using (doc_id, case_id)
where c.age is not null;
