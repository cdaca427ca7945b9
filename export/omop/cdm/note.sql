-- NOTE: one per exported case with evidence, the article as a note: its title, and as text
-- the evidence sentences of the case's exported facts in page order (the NOTE_NLP snippets).
-- A case with no evidence gets no note: note_text is required, and an empty one would read
-- back from CSV as null.
-- note_date: 1 January of the article's year (the day is not printed), else the ingest day.
with sentences as (
    select person_id, evidence, min(page) as page, min(provenance_no) as seen
    from x_provenance
    group by person_id, evidence
),
note_texts as (
    select person_id, string_agg(evidence, chr(10) order by page, seen) as note_text
    from sentences
    group by person_id
)
select
    p.person_id as note_id,
    p.person_id,
    coalesce(make_date(p.publication_year, 1, 1), p.ingested_at::date) as note_date,
    null::timestamp as note_datetime,
    concept_type_ehr()::integer as note_type_concept_id,
    concept_unmapped()::integer as note_class_concept_id,
    left(p.title, 250) as note_title,
    t.note_text,
    concept_utf8()::integer as encoding_concept_id,
    concept_english()::integer as language_concept_id,
    null::integer as provider_id,
    null::integer as visit_occurrence_id,
    null::integer as visit_detail_id,
    source_value(coalesce(p.doi, p.doc_id)) as note_source_value,
    null::integer as note_event_id,
    null::integer as note_event_field_concept_id
from x_person p
join note_texts t using (person_id)
order by note_id
