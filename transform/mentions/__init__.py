"""The mention layer: the spaCy pipeline, its patterns and lexicon, and the typed values read
from each matched span (drugs, doses, dates, responses, biomarkers, abbreviations).

Imports nothing from `transform.events` or `transform.timeline`.
"""
