-- The pipeline versions that loaded the warehouse's documents (manifest.json names them).
select distinct pipeline_version from documents order by pipeline_version
