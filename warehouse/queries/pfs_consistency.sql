/* Lines whose printed PFS disagrees with the PFS their own dates give (beyond 0.1 month),
   with the month length the document was found to use. */
select l.doc_id, l.case_id, l.line_no, l.regimen, l.start_date, l.pfs_event_date,
       l.pfs_months_reported, l.pfs_months, d.pfs_month_days
from lines_of_therapy l
join documents d using (doc_id)
where l.pfs_consistent = false
order by l.doc_id, l.case_id, l.line_no
