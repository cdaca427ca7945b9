-- CONDITION_OCCURRENCE: the primary cancer of each case, as printed (site and histology),
-- from the diagnosis date (else the case's anchor date).
select
    condition_occurrence_id::integer as condition_occurrence_id,
    person_id,
    concept_unmapped()::integer as condition_concept_id,
    coalesce(diagnosis_date, anchor_date) as condition_start_date,
    null::timestamp as condition_start_datetime,
    null::date as condition_end_date,
    null::timestamp as condition_end_datetime,
    concept_type_ehr()::integer as condition_type_concept_id,
    null::integer as condition_status_concept_id,
    null::varchar as stop_reason,
    null::integer as provider_id,
    null::integer as visit_occurrence_id,
    null::integer as visit_detail_id,
    source_value(condition_text) as condition_source_value,
    concept_unmapped()::integer as condition_source_concept_id,
    null::varchar as condition_status_source_value
from x_condition
order by condition_occurrence_id
