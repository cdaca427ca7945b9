-- `caselines cases`: the patients, one row per case, with the number of lines of therapy.
-- $doc_id: one document's cases, or null for all.
select
    c.doc_id,
    d.path as document,
    c.case_id,
    c.age,
    c.sex,
    nullif(concat_ws(' ', c.primary_site, c.histology), '') as cancer,
    count(l.line_no) as lines
from cases c
join documents d using (doc_id)
left join lines_of_therapy l using (doc_id, case_id)
where $doc_id is null or c.doc_id = $doc_id
group by all
order by d.path, c.case_id
