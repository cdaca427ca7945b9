-- Every name of a drug (lower-case) -> its canonical DrugBank name, from the shipped lexicon.
create table if not exists drug_synonyms (
    drug_id  varchar,
    drug     varchar not null,
    synonym  varchar not null,
    source   varchar not null,
    primary key (synonym, drug)
);
