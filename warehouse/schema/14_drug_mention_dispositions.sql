-- What became of every drug named in the case presentation: the exposure it is (or the drug
-- given it names), or the reason it is none (transform/timeline/dispositions.py). A regimen
-- mention has one row per drug it stands for.
create table if not exists drug_mention_dispositions (
    doc_id       varchar not null,
    case_id      integer not null,
    mention_no   integer not null,
    drug         varchar not null,
    drug_as_printed varchar not null,
    role         varchar not null check (role in ('antineoplastic', 'supportive', 'other')),
    disposition  varchar not null check (disposition in ('given', 'not_given')),
    reason       varchar not null check (reason in ('exposure', 'same_drug_given', 'same_class_given',
                     'case_without_cancer', 'caption', 'negated', 'prior_history',
                     'named_as_cause', 'hypothetical', 'trial_arm', 'unknown_regimen',
                     'general_statement', 'stopped', 'no_start_told', 'unexplained')),
    exposure_no  integer,
    page         integer not null,
    evidence     varchar not null,
    primary key (doc_id, mention_no, drug)
);
