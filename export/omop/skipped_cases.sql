-- Cases the OMOP export leaves out: no printed age, so no PERSON.year_of_birth
-- (the complement of x_person in prepare/01_persons.sql).
select doc_id, case_id from cases where age is null order by doc_id, case_id
