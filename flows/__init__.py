"""Prefect flows and the `caselines` command line."""
