-- Per patient, the ordered regimens and drug classes of lines 1, 2, 3...: the treatment
-- sequences the report's sequence diagram draws. A line's class label is its distinct drug
-- classes, sorted, joined by ' + '; 'unclassified' when none of its drugs has a class.
create or replace view line_sequences as
with labelled as (
    select
        l.doc_id,
        l.case_id,
        l.line_no,
        coalesce(l.regimen, nullif(array_to_string(l.drugs, ' + '), ''), 'not reported')
            as regimen,
        coalesce(nullif(array_to_string(k.drug_classes, ' + '), ''), 'unclassified')
            as class_label
    from lines_of_therapy l
    left join line_classes k using (doc_id, case_id, line_no)
)
select
    doc_id,
    case_id,
    count(*)::integer as n_lines,
    list(regimen order by line_no) as regimens,
    list(class_label order by line_no) as drug_classes,
    string_agg(class_label, ' -> ' order by line_no) as class_sequence
from labelled
group by doc_id, case_id
order by doc_id, case_id;
