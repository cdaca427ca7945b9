/* PFS by drug class: for each class of drug given in a metastatic line, how many lines
   contained it and their median and mean PFS (months, computed from the article's dates). */
select
    e.drug_class,
    count(distinct (l.doc_id, l.case_id, l.line_no)) as n_lines,
    median(l.pfs_months) as median_pfs_months,
    round(avg(l.pfs_months), 1) as mean_pfs_months
from drug_exposures e
join lines_of_therapy l using (doc_id, case_id, line_no)
where e.setting = 'metastatic' and e.drug_class is not null
group by e.drug_class
order by n_lines desc, e.drug_class
