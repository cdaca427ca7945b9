-- What needs a researcher's look, most important first (`caselines review`,
-- docs/corrections.md): the audit's findings, drugs the case presentation names that no
-- exposure holds, lines with no start date, line ends taken from
-- the progression because no stop was printed, dates whose day and month could swap, and
-- corrections whose target the pipeline no longer finds.
create or replace view review_items as
select
    1 as priority,
    'audit: ' || kind as item,
    doc_id,
    case_id,
    line_no,
    page,
    message as detail,
    evidence
from audit_findings
union all
select
    1,
    'unexplained drug',
    doc_id,
    case_id,
    null,
    min(page),
    'the case names ' || json_extract_string(value, '$.drug') || ' ('
        || count(*) || ' mentions) but no exposure holds it',
    arg_min(sentence, mention_no)
from mentions m
where kind = 'drug'
    and case_id is not null
    and not negated
    and not exists (
        select 1 from drug_exposures x
        where x.doc_id = m.doc_id and x.case_id = m.case_id
            and x.drug = json_extract_string(m.value, '$.drug')
    )
group by doc_id, case_id, json_extract_string(value, '$.drug')
union all
select
    2,
    'undated line',
    doc_id,
    case_id,
    line_no,
    page,
    'line ' || line_no || ' (' || array_to_string(drugs, '+') || ') has no start date',
    evidence
from lines_of_therapy
where start_date is null
union all
select
    3,
    'inferred end',
    l.doc_id,
    l.case_id,
    l.line_no,
    l.page,
    'line ' || l.line_no || ' ends ' || strftime(l.end_date, '%Y-%m-%d')
        || ', the progression: no stop was printed for a drug of its last phase',
    l.evidence
from lines_of_therapy l
where l.end_date is not null
    and l.pfs_event = 'progression'
    and l.end_date = l.pfs_event_date
    and exists (
        select 1 from drug_exposures x
        where x.doc_id = l.doc_id and x.case_id = l.case_id and x.line_no = l.line_no
            and x.end_date is null
    )
union all
select
    4,
    'ambiguous date',
    doc_id,
    case_id,
    null,
    page,
    'day and month could swap in ''' || text || ''' (read as '
        || json_extract_string(value, '$.reading') || ')',
    sentence
from mentions
where kind = 'date' and json_extract_string(value, '$.reading') like '%?'
union all
select
    5,
    'stale correction',
    doc_id,
    case_id,
    null,
    null,
    'correction ' || correction_no || ' (' || target || ') not applied: ' || coalesce(reason, ''),
    source
from corrections_applied
where status = 'stale';
