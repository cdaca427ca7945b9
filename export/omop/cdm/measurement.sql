-- MEASUREMENT: every biomarker result (concept ids 0, unmapped: the marker and method in
-- measurement_source_value, the status in value_source_value, the printed number in
-- value_as_number with what it measures in unit_source_value). Dates as
-- prepare/04_measurements.sql sets them.
select
    measurement_id,
    person_id,
    concept_unmapped()::integer as measurement_concept_id,
    measurement_date,
    null::timestamp as measurement_datetime,
    null::varchar as measurement_time,
    concept_type_ehr()::integer as measurement_type_concept_id,
    null::integer as operator_concept_id,
    value::numeric as value_as_number,
    case when status is not null then concept_unmapped() end::integer as value_as_concept_id,
    case when value is not null then concept_unmapped() end::integer as unit_concept_id,
    null::numeric as range_low,
    null::numeric as range_high,
    null::integer as provider_id,
    null::integer as visit_occurrence_id,
    null::integer as visit_detail_id,
    source_value(concat_ws(' ', marker, method)) as measurement_source_value,
    concept_unmapped()::integer as measurement_source_concept_id,
    source_value(value_type) as unit_source_value,
    null::integer as unit_source_concept_id,
    source_value(coalesce(status, result)) as value_source_value,
    null::integer as measurement_event_id,
    null::integer as meas_event_field_concept_id
from x_measurement
order by measurement_id
