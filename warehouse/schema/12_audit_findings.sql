-- Inconsistencies of an article with itself (reported vs computed PFS, reported vs RECIST
-- response, dates out of order, doses far outside a plausible range), and antineoplastic
-- drugs named but neither given nor explained (named_not_given), found when the document
-- was transformed.
create table if not exists audit_findings (
    doc_id    varchar not null,
    case_id   integer,
    line_no   integer,
    kind      varchar not null check (kind in ('pfs_mismatch', 'response_mismatch',
                  'dates_out_of_order', 'line_end_before_start', 'implausible_dose',
                  'named_not_given')),
    message   varchar not null,
    reported  varchar,
    computed  varchar,
    page      integer,
    evidence  varchar
);
