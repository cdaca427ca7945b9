-- `caselines drug`: the stored drug name(s) for a printed name, from the lexicon's synonyms
-- and from the documents' own abbreviations. $name is matched case-insensitively.
select distinct drug, 'lexicon: ' || source as via
from drug_synonyms
where lower(synonym) = lower($name) or lower(drug) = lower($name)
union
select distinct unnest(drugs) as drug, 'abbreviation: ' || expansion as via
from abbreviations
where lower(abbreviation) = lower($name)
union
select distinct drug, 'printed as ' || drug_as_printed as via
from drug_exposures
where lower(drug_as_printed) = lower($name) or lower(drug) = lower($name)
order by drug, via
