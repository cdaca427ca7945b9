-- `caselines drug`: names close to an unknown one (Jaro-Winkler), for a "did you mean".
select synonym, drug, jaro_winkler_similarity(lower(synonym), lower($name)) as score
from (
    select synonym, drug from drug_synonyms
    union select drug_as_printed, drug from drug_exposures
)
where score >= $min_score
order by score desc, synonym
limit $limit
