-- The EPISODE rows: one per line of therapy, then one per date of disease progression.
-- episode_id numbers them in (doc_id, case_id, lines before progressions, number) order.
-- A line starts at its printed start, else the earliest printed start of its exposures, else
-- the case's anchor; it ends at its printed end (never before its start), or is open (null).
-- Progressions: the dated 'progression' events and the lines ended by a dated progression,
-- one episode per case and date (the event's wording preferred to the line's).
create temp table x_progression as
with dated as (
    select
        doc_id, case_id, event_date as progression_date, event_date_precision as date_precision,
        detail, page, evidence, 0 as source_rank
    from events
    where kind = 'progression' and event_date is not null
    union all
    select
        doc_id, case_id, pfs_event_date, null, 'progression ending line ' || line_no, page,
        evidence, 1
    from lines_of_therapy
    where pfs_event = 'progression' and pfs_event_date is not null
),
ranked as (
    select
        *,
        row_number() over (
            partition by doc_id, case_id, progression_date
            order by source_rank, page, detail, evidence
        ) as rank_in_date
    from dated
)
select
    doc_id, case_id, progression_date, date_precision, detail, page, evidence,
    row_number() over (partition by doc_id, case_id order by progression_date)::integer
        as progression_no
from ranked
where rank_in_date = 1;

create temp table x_episode as
with first_exposures as (
    select doc_id, case_id, line_no, min(start_date) as first_exposure_date
    from x_exposure
    where line_no is not null and start_date_from is null  -- printed starts only
    group by doc_id, case_id, line_no
),
line_rows as (
    select
        l.doc_id,
        l.case_id,
        1 as kind_order,
        l.line_no as episode_number,
        concept_line_of_therapy() as episode_concept_id,
        coalesce(l.start_date, x.first_exposure_date, p.anchor_date) as start_date,
        case
            when l.start_date is not null then null
            when x.first_exposure_date is not null then 'first_exposure'
            else p.anchor_from
        end as start_date_from,
        l.start_date_precision,
        l.end_date,
        l.end_date_precision,
        coalesce(l.regimen, array_to_string(l.drugs, ' + ')) as source_text,
        l.line_no,
        l.page,
        l.evidence
    from lines_of_therapy l
    join x_person p using (doc_id, case_id)
    left join first_exposures x using (doc_id, case_id, line_no)
),
progression_rows as (
    select
        g.doc_id,
        g.case_id,
        2 as kind_order,
        g.progression_no as episode_number,
        concept_disease_progression() as episode_concept_id,
        g.progression_date as start_date,
        null as start_date_from,
        g.date_precision as start_date_precision,
        null::date as end_date,
        null as end_date_precision,
        g.detail as source_text,
        null::integer as line_no,
        g.page,
        g.evidence
    from x_progression g
    join x_person p using (doc_id, case_id)
),
all_rows as (
    select * from line_rows
    union all
    select * from progression_rows
)
select
    row_number() over (order by a.doc_id, a.case_id, a.kind_order, a.episode_number)::integer
        as episode_id,
    p.person_id,
    a.*,
    p.pipeline_version,
    p.ingested_at
from all_rows a
join x_person p using (doc_id, case_id);
