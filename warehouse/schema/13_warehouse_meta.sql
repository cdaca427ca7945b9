-- Key/value facts about the warehouse itself (schema version, lexicon version loaded).
create table if not exists warehouse_meta (
    key    varchar primary key,
    value  varchar not null
);
