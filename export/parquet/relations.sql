-- Every table and view of the warehouse (the main schema of the attached file), temporary
-- and internal objects left out, in a stable order.
select table_name as name, 'table' as kind
from duckdb_tables()
where database_name = current_database() and schema_name = 'main' and not temporary
union all
select view_name as name, 'view' as kind
from duckdb_views()
where database_name = current_database() and schema_name = 'main'
    and not internal and not temporary
order by kind, name
