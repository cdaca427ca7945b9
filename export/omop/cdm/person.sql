-- PERSON: one per exported case. year_of_birth = year of the diagnosis date - printed age
-- (the age is the age at presentation); without a diagnosis date the case's anchor date
-- stands in (see prepare/01_persons.sql).
select
    person_id,
    case sex
        when 'male' then concept_male()
        when 'female' then concept_female()
        else concept_unmapped()
    end::integer as gender_concept_id,
    (year(anchor_date) - age)::integer as year_of_birth,
    null::integer as month_of_birth,
    null::integer as day_of_birth,
    null::timestamp as birth_datetime,
    concept_unmapped()::integer as race_concept_id,
    concept_unmapped()::integer as ethnicity_concept_id,
    null::integer as location_id,
    null::integer as provider_id,
    null::integer as care_site_id,
    case_key(doc_id, case_id) as person_source_value,
    sex as gender_source_value,
    case when sex is not null then concept_unmapped() end::integer as gender_source_concept_id,
    null::varchar as race_source_value,
    null::integer as race_source_concept_id,
    null::varchar as ethnicity_source_value,
    null::integer as ethnicity_source_concept_id
from x_person
order by person_id
