"""The gold harness over ../shared/gold: one parametrised case per fact (run by eval/gold.py)."""
