-- `caselines show`: the document's header.
select doc_id, path, title, journal, year, pfs_month_days
from documents
where doc_id = $doc_id
