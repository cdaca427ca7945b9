-- EPISODE_EVENT: each line of therapy -> every drug exposure of that line.
select
    e.episode_id,
    x.drug_exposure_id as event_id,
    concept_field_drug_exposure_id()::integer as episode_event_field_concept_id
from x_episode e
join x_exposure x using (doc_id, case_id, line_no)
where e.episode_concept_id = concept_line_of_therapy()
order by e.episode_id, x.drug_exposure_id
