/* Each patient's course in one row: age, sex, number of metastatic lines, the regimens in
   order, and total time from the first line's start to the last line's PFS event. */
select c.doc_id, c.case_id, c.age, c.sex,
       count(l.line_no) as n_lines,
       string_agg(coalesce(l.regimen, array_to_string(l.drugs, ' + ')), ' -> '
                  order by l.line_no) as course,
       max(l.pfs_event_date) - min(l.start_date) as days_on_lines
from cases c
left join lines_of_therapy l using (doc_id, case_id)
group by c.doc_id, c.case_id, c.age, c.sex
order by c.doc_id, c.case_id
