"""The events layer: mentions -> sentences of each patient's story -> dated clinical events,
drug exposures and case facts. Pure functions over records; no spaCy.

Imports nothing from `transform.mentions` or `transform.timeline`.
"""
