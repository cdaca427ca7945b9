"""The timeline layer: lines of therapy, PFS, RECIST 1.1 and the audit, pure functions over
plain records (see docs/rules.md for every rule and its source).

May read helpers of `transform.events`; never imports `transform.mentions`.
"""
