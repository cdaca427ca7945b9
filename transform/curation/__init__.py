"""The curation layer: a researcher's corrections applied to the events of each patient
before the lines of therapy, PFS and the audit are derived (docs/corrections.md)."""
