-- NOTE_NLP: the provenance of every exported fact: the evidence sentence (snippet), its page
-- ("offset" holds 'page N': the warehouse keeps pages, not character offsets in the note),
-- the printed term, the OMOP row it supports and its date precisions (term_modifiers), and
-- the caselines pipeline version that read it (nlp_system) on the day it was ingested.
select
    provenance_no as note_nlp_id,
    person_id as note_id,
    null::integer as section_concept_id,
    snippet_text(evidence) as snippet,
    'page ' || page as "offset",
    snippet_text(lexical_variant) as lexical_variant,
    concept_unmapped()::integer as note_nlp_concept_id,
    concept_unmapped()::integer as note_nlp_source_concept_id,
    'caselines ' || pipeline_version as nlp_system,
    ingested_at::date as nlp_date,
    ingested_at as nlp_datetime,
    'Y' as term_exists,
    null::varchar as term_temporal,
    term_modifiers
from x_provenance
order by note_nlp_id
