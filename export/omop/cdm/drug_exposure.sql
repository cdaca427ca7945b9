-- DRUG_EXPOSURE: every drug given, with the printed name, dose and schedule (no drug
-- vocabulary is at hand: drug_concept_id 0). Dates as prepare/02_exposures.sql sets them.
select
    drug_exposure_id,
    person_id,
    concept_unmapped()::integer as drug_concept_id,
    start_date as drug_exposure_start_date,
    null::timestamp as drug_exposure_start_datetime,
    greatest(coalesce(end_date, start_date), start_date) as drug_exposure_end_date,
    null::timestamp as drug_exposure_end_datetime,
    end_date as verbatim_end_date,
    concept_type_ehr()::integer as drug_type_concept_id,
    null::varchar as stop_reason,
    null::integer as refills,
    dose_amount::numeric as quantity,
    null::integer as days_supply,
    schedule as sig,
    case when route is not null then concept_unmapped() end::integer as route_concept_id,
    null::varchar as lot_number,
    null::integer as provider_id,
    null::integer as visit_occurrence_id,
    null::integer as visit_detail_id,
    source_value(drug_as_printed) as drug_source_value,
    concept_unmapped()::integer as drug_source_concept_id,
    source_value(route) as route_source_value,
    source_value(dose_unit) as dose_unit_source_value
from x_exposure
order by drug_exposure_id
