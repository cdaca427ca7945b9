-- `caselines audit`: the consistency findings, by document, case and line.
select d.path, f.case_id, f.line_no, f.kind, f.message, f.reported, f.computed, f.page,
       f.evidence
from audit_findings f
join documents d using (doc_id)
order by d.path, f.case_id, f.line_no, f.kind
