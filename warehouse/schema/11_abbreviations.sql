-- Regimen and drug abbreviations in force for a document: the article's own definitions
-- (figure legends, "long form (SHORT)") over the shipped table of standard regimens.
create table if not exists abbreviations (
    doc_id        varchar not null,
    abbreviation  varchar not null,
    drugs         varchar[] not null,
    expansion     varchar not null,
    source        varchar not null check (source in ('article', 'builtin')),
    page          integer,
    evidence      varchar,
    primary key (doc_id, abbreviation)
);
