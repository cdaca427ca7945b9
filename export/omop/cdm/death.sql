-- DEATH: the cases whose death date is printed (a month or year is stored as its first day).
select
    person_id,
    death_date,
    null::timestamp as death_datetime,
    concept_type_ehr()::integer as death_type_concept_id,
    null::integer as cause_concept_id,
    null::varchar as cause_source_value,
    null::integer as cause_source_concept_id
from x_person
where death_date is not null
order by person_id
