-- Per patient and marker: the latest status and whether it changed (docs/warehouse.md).
-- A status is read as a call: amplified is positive, not amplified negative (ASCO/CAP 2018:
-- an amplified ISH is HER2-positive). An equivocal result is decided by an ISH result of the
-- same test date (both undated counts as the same): it is left out when one exists. The
-- latest call is the last told (case reports tell their story in order); `changed` says
-- that the patient's calls for the marker were not all the same.
create or replace view case_biomarkers as
with calls as (
    select
        b.*,
        case b.status
            when 'amplified' then 'positive'
            when 'not amplified' then 'negative'
            else b.status
        end as call
    from biomarkers b
    where b.status is not null
),
decided as (
    select c.*
    from calls c
    where not (
        c.call = 'equivocal'
        and exists (
            select 1
            from calls d
            where d.doc_id = c.doc_id
              and d.case_id = c.case_id
              and d.marker = c.marker
              and d.method in ('FISH', 'ISH', 'CISH', 'SISH', 'DISH')
              and d.call in ('positive', 'negative')
              and d.test_date is not distinct from c.test_date
        )
    )
),
summary as (
    select
        doc_id,
        case_id,
        marker,
        count(*)::integer as n_results,
        count(distinct call) > 1 as changed
    from decided
    group by doc_id, case_id, marker
),
latest as (
    select
        *,
        row_number() over (
            partition by doc_id, case_id, marker order by biomarker_no desc
        ) as recency
    from decided
)
select
    l.doc_id,
    l.case_id,
    l.marker,
    l.call as status,
    l.result,
    l.method,
    l.value,
    l.value_type,
    l.variant,
    l.specimen,
    l.test_date,
    l.test_date_precision,
    s.n_results,
    s.changed,
    l.page,
    l.evidence
from latest l
join summary s using (doc_id, case_id, marker)
where l.recency = 1
order by l.doc_id, l.case_id, l.marker;
