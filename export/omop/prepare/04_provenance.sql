-- One row per exported fact that carries its evidence: the OMOP row it supports, the page
-- and sentence, the printed term, and what OMOP has no column for (date precisions, where an
-- imputed date came from, the DrugBank name) as key=value pairs for NOTE_NLP.term_modifiers.
-- provenance_no numbers them by case, then condition, exposures, episodes, each by its id.
create temp table x_condition as
select
    person_id,
    person_id as condition_occurrence_id,
    concat_ws(' ', primary_site, histology) as condition_text,
    *
from x_person
where primary_site is not null or histology is not null;

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
    e.source_text,
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
)
select
    row_number() over (order by person_id, table_order, omop_id)::integer as provenance_no,
    *
from facts;
