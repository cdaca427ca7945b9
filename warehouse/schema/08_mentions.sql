-- Everything the patterns found, in every section: the evidence layer behind every fact.
-- value is the normalised value as JSON; char_start/char_end are offsets in the sentence.
create table if not exists mentions (
    doc_id      varchar not null,
    mention_no  integer not null,
    case_id     integer,
    section     varchar,
    kind        varchar not null check (kind in ('drug', 'regimen', 'dose', 'date', 'duration',
                    'response', 'pfs', 'adverse_event', 'lesion', 'biomarker', 'procedure',
                    'cycles', 'trial', 'progression', 'death', 'age_sex', 'modality',
                    'drug_class')),
    text        varchar not null,
    value       json,
    negated     boolean not null,
    uncertain   boolean not null,
    page        integer not null,
    char_start  integer not null,
    char_end    integer not null,
    sentence    varchar not null,
    primary key (doc_id, mention_no)
);
