-- EPISODE: lines of therapy (episode_number = the line, the regimen as its source value)
-- and disease progressions (episode_number = the n-th progression of the case, no end date).
-- An end date printed before the start (a month-precision end in the start's month) is
-- raised to the start; OMOP requires end >= start.
select
    episode_id,
    person_id,
    episode_concept_id::integer as episode_concept_id,
    start_date as episode_start_date,
    null::timestamp as episode_start_datetime,
    case when end_date is not null then greatest(end_date, start_date) end as episode_end_date,
    null::timestamp as episode_end_datetime,
    null::integer as episode_parent_id,
    episode_number::integer as episode_number,
    concept_unmapped()::integer as episode_object_concept_id,
    concept_episode_from_ehr()::integer as episode_type_concept_id,
    source_value(source_text) as episode_source_value,
    concept_unmapped()::integer as episode_source_concept_id
from x_episode
order by episode_id
