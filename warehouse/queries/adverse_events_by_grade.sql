/* Adverse events by CTCAE grade and the drug blamed, counted over all patients. */
select
    coalesce(cast(grade as varchar), 'ungraded') as grade,
    event,
    coalesce(drug, 'unattributed') as drug,
    count(*) as n_events,
    count(distinct (doc_id, case_id)) as n_patients
from adverse_events
group by all
order by grade, n_events desc, event
