"""SQL of the warehouse: schema/, views/ and example queries/ (package data)."""
