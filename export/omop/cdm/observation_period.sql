-- OBSERVATION_PERIOD: one per person, from the earliest to the latest date the export gives
-- the person (diagnosis, exposures, episodes, death, measurements), so every exported fact lies inside it.
with dates as (
    select person_id, coalesce(diagnosis_date, anchor_date) as d from x_person
    union all
    select person_id, death_date from x_person where death_date is not null
    union all
    select person_id, start_date from x_exposure
    union all
    select person_id, greatest(coalesce(end_date, start_date), start_date) from x_exposure
    union all
    select person_id, start_date from x_episode
    union all
    select person_id, greatest(end_date, start_date) from x_episode where end_date is not null
    union all
    select person_id, measurement_date from x_measurement
)
select
    person_id as observation_period_id,
    person_id,
    min(d) as observation_period_start_date,
    max(d) as observation_period_end_date,
    concept_type_ehr()::integer as period_type_concept_id
from dates
group by person_id
order by person_id
