"""Document -> Extraction: mentions, events, lines of therapy, PFS, RECIST, audit."""
