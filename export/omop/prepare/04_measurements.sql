-- One row per biomarker result of an exported case, for MEASUREMENT: no vocabulary is at
-- hand, so measurement_concept_id is 0 with the marker (and method) as its source value and
-- the status the rules gave (docs/rules.md, Biomarkers) as value_source_value.
-- measurement_id numbers them in (person_id, biomarker_no) order; a result without a printed
-- date takes the case's anchor date (measurement_date is required), said by date_from.
create temp table x_measurement as
select
    row_number() over (order by p.person_id, b.biomarker_no)::integer as measurement_id,
    p.person_id,
    b.marker,
    b.method,
    b.result,
    b.status,
    b.value,
    b.value_type,
    b.variant,
    b.specimen,
    coalesce(b.test_date, p.anchor_date) as measurement_date,
    b.test_date_precision,
    case when b.test_date is null then p.anchor_from end as date_from,
    b.page,
    b.evidence,
    p.pipeline_version,
    p.ingested_at
from biomarkers b
join x_person p using (doc_id, case_id);
