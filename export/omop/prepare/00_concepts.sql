-- The OMOP concept ids of the export, named once; the cdm/*.sql files use only these names.
-- Sources: the note shipped with the OMOP CDM v5.4 DDL (tests/fixtures/omop/SOURCE.md) for
-- the episode concepts and the "0 where unmapped" rule; the OMOP standardized vocabularies
-- (Gender, Type Concept, Language, UTF-8 encoding) for the others, which that note does not list.

-- SOURCE.md: episode_concept_id 32941 "Cancer Drug Treatment" (a line of therapy)
create or replace temp macro concept_line_of_therapy() as 32941;
-- SOURCE.md: disease dynamics, 32949 progression
create or replace temp macro concept_disease_progression() as 32949;
-- SOURCE.md: episode_type_concept_id 32545 "Episode algorithmically derived from EHR"
create or replace temp macro concept_episode_from_ehr() as 32545;
-- SOURCE.md: episode_event_field_concept_id 1147094 (drug_exposure.drug_exposure_id)
create or replace temp macro concept_field_drug_exposure_id() as 1147094;
-- SOURCE.md: unmapped vocabularies get concept_id 0 with the *_source_value columns filled
create or replace temp macro concept_unmapped() as 0;
-- Gender vocabulary: 8507 MALE, 8532 FEMALE
create or replace temp macro concept_male() as 8507;
create or replace temp macro concept_female() as 8532;
-- Type Concept vocabulary: 32817 "EHR". Not listed in SOURCE.md; chosen to agree with the
-- episode type it does list ("derived from EHR"): a case report reports a patient's record.
create or replace temp macro concept_type_ehr() as 32817;
-- NOTE.encoding_concept_id 32678 "UTF-8"; NOTE.language_concept_id 4180186 "English language"
create or replace temp macro concept_utf8() as 32678;
create or replace temp macro concept_english() as 4180186;

-- Widths of the standard's varchar columns the export fills with free text.
create or replace temp macro source_value(text) as left(text, 50);
create or replace temp macro snippet_text(text) as left(text, 250);
-- A case as a source value: the document's SHA-256 (first 40 hex digits) and the case number.
create or replace temp macro case_key(doc_id, case_id) as left(doc_id, 40) || ':' || case_id;
-- A date's precision as NOTE_NLP.term_modifiers states it ('unknown' when not printed).
create or replace temp macro precision_or_unknown(p) as coalesce(p, 'unknown');
