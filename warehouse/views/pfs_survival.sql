-- One row per line of therapy for survival analysis (Kaplan-Meier): months from the line's
-- start to its progression or death (event = 1), else to its censoring date (event = 0;
-- docs/rules.md, "PFS censoring"). Unrounded days / the document's month length, so the
-- curves are not stepped by the one-decimal rounding of pfs_months. months is null when
-- the line has no start date, an undated event, no censoring date, an end before its
-- start, or is censored on its start day (no follow-up); such lines enter no curve.
create or replace view pfs_survival as
with ends as (
    select
        l.doc_id,
        l.case_id,
        l.line_no,
        l.drug_classes,
        l.start_date,
        case when l.pfs_event is not null then l.pfs_event_date else l.censored_on end
            as pfs_end_date,
        case when l.pfs_event is not null then 1 else 0 end as event,
        d.pfs_month_days
    from patient_lines l
    left join documents d using (doc_id)
)
select
    doc_id,
    case_id,
    line_no,
    drug_classes,
    start_date,
    pfs_end_date,
    case
        when pfs_end_date > start_date or (event = 1 and pfs_end_date = start_date)
            then date_diff('day', start_date, pfs_end_date) / pfs_month_days
    end as months,
    event
from ends
order by doc_id, case_id, line_no;
