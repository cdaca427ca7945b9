"""Evaluation scripts over the outside corpora in ../shared (run by `make eval`, never by tests)."""
