/* Which articles mention pyrotinib anywhere (discussion included), however it was printed,
   and whether any patient in them actually received it. */
with names as (
    select drug from drug_synonyms where synonym = 'pyrotinib'
)
select
    d.doc_id,
    d.title,
    count(*) as n_mentions,
    bool_or(m.case_id is not null) as mentioned_in_a_case,
    exists (
        select 1 from drug_exposures e
        where e.doc_id = d.doc_id and e.drug in (select drug from names)
    ) as given_to_a_patient
from mentions m
join documents d using (doc_id)
where m.kind = 'drug' and json_extract_string(m.value, '$.drug') in (select drug from names)
group by d.doc_id, d.title
order by n_mentions desc
