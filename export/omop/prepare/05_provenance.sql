-- One row per exported fact that carries its evidence: the OMOP row it supports, the page
-- and sentence, the printed term, and what OMOP has no column for (date precisions, where an
-- imputed date came from, the DrugBank name) as key=value pairs for NOTE_NLP.term_modifiers.
-- provenance_no numbers them by case, then condition, exposures, episodes, death,
-- measurements, each by id.

-- The evidence of the primary cancer: the sentence that introduces the patient (the first
-- age/sex mention of the case, where transform/caseinfo.py reads age and sex). cases.evidence
-- is that sentence only for a patient who did not die: for one who did it is the death's.
create temp table x_condition as
with introductions as (
    select
        doc_id, case_id, page, sentence,
        row_number() over (partition by doc_id, case_id order by mention_no) as rank_in_case
    from mentions
    where kind = 'age_sex' and case_id is not null
)
select
    p.person_id as condition_occurrence_id,
    p.person_id,
    concat_ws(' ', p.primary_site, p.histology) as condition_text,
    p.diagnosis_date,
    p.diagnosis_date_precision,
    p.anchor_date,
    p.anchor_from,
    p.grade,
    coalesce(i.page, case when p.death_date is null then p.page end) as page,
    coalesce(i.sentence, case when p.death_date is null then p.evidence end) as evidence,
    p.pipeline_version,
    p.ingested_at
from x_person p
left join introductions i on i.doc_id = p.doc_id and i.case_id = p.case_id and i.rank_in_case = 1
where p.primary_site is not null or p.histology is not null;

-- The evidence of a death: the dated death event of that day, else cases.evidence (which
-- transform/caseinfo.py takes from the death when there is one).
create temp table x_death as
with death_events as (
    select
        doc_id, case_id, event_date, page, evidence, detail,
        row_number() over (partition by doc_id, case_id, event_date order by page, evidence)
            as rank_in_date
    from events
    where kind = 'death' and event_date is not null
)
select
    p.person_id,
    p.death_date,
    p.death_date_precision,
    coalesce(d.page, p.page) as page,
    coalesce(d.evidence, p.evidence) as evidence,
    coalesce(d.detail, 'death') as lexical_variant,
    p.pipeline_version,
    p.ingested_at
from x_person p
left join death_events d
    on d.doc_id = p.doc_id and d.case_id = p.case_id and d.event_date = p.death_date
    and d.rank_in_date = 1
where p.death_date is not null;

create temp table x_provenance as
with facts as (
    select
        1 as table_order,
        c.condition_occurrence_id as omop_id,
        c.person_id,
        c.page,
        c.evidence,
        c.condition_text as lexical_variant,
        concat_ws(
            ';',
            'omop_table=condition_occurrence',
            'omop_id=' || c.condition_occurrence_id,
            'start_date_precision=' || precision_or_unknown(c.diagnosis_date_precision),
            case when c.diagnosis_date is null then 'start_date_from=' || c.anchor_from end,
            'grade=' || c.grade
        ) as term_modifiers,
        c.pipeline_version,
        c.ingested_at
    from x_condition c
    where c.evidence is not null
    union all
    select
        2,
        x.drug_exposure_id,
        x.person_id,
        x.page,
        x.evidence,
        x.drug_as_printed,
        concat_ws(
            ';',
            'omop_table=drug_exposure',
            'omop_id=' || x.drug_exposure_id,
            'drug=' || x.drug,
            'drugbank_id=' || x.drug_id,
            'role=' || x.role,
            'setting=' || x.setting,
            'line=' || x.line_no,
            'cycles=' || x.cycles,
            'start_date_precision=' || precision_or_unknown(x.start_date_precision),
            'start_date_from=' || x.start_date_from,
            'end_date_precision=' || precision_or_unknown(x.end_date_precision)
        ),
        x.pipeline_version,
        x.ingested_at
    from x_exposure x
    union all
    select
        3,
        e.episode_id,
        e.person_id,
        e.page,
        e.evidence,
        -- NOTE_NLP.lexical_variant is required (and an empty one reads back from CSV as null)
        coalesce(
            nullif(e.source_text, ''),
            case when e.line_no is not null then 'line ' || e.line_no else 'progression' end
        ),
        concat_ws(
            ';',
            'omop_table=episode',
            'omop_id=' || e.episode_id,
            'start_date_precision=' || precision_or_unknown(e.start_date_precision),
            'start_date_from=' || e.start_date_from,
            case when e.line_no is not null then
                'end_date_precision=' || precision_or_unknown(e.end_date_precision)
            end
        ),
        e.pipeline_version,
        e.ingested_at
    from x_episode e
    where e.evidence is not null
    union all
    -- DEATH has no id of its own: omop_id is its person_id
    select
        4,
        d.person_id,
        d.person_id,
        d.page,
        d.evidence,
        d.lexical_variant,
        concat_ws(
            ';',
            'omop_table=death',
            'omop_id=' || d.person_id,
            'date_precision=' || precision_or_unknown(d.death_date_precision)
        ),
        d.pipeline_version,
        d.ingested_at
    from x_death d
    where d.evidence is not null
    union all
    select
        5,
        m.measurement_id,
        m.person_id,
        m.page,
        m.evidence,
        m.result,
        concat_ws(
            ';',
            'omop_table=measurement',
            'omop_id=' || m.measurement_id,
            'marker=' || m.marker,
            'method=' || m.method,
            'status=' || m.status,
            'value_type=' || m.value_type,
            'variant=' || m.variant,
            'specimen=' || m.specimen,
            'date_precision=' || precision_or_unknown(m.test_date_precision),
            'date_from=' || m.date_from
        ),
        m.pipeline_version,
        m.ingested_at
    from x_measurement m
)
select
    row_number() over (order by person_id, table_order, omop_id)::integer as provenance_no,
    *
from facts;
