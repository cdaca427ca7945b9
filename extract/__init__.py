"""PDF -> Document: text blocks in reading order with page and box provenance."""
