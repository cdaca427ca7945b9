# The two set-up commands of the README. Both create .venv when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= caselines.duckdb
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=
EVAL_ARGS ?=

.PHONY: demo test lint typecheck bench bench-backends bench-dask bench-writer eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/caselines ingest corpus/ --db $(DB)
	$(BIN)/caselines query "select * from pfs_by_line" --db $(DB)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Benchmarks stay out of `make test`: the flow (README, Orchestration), the PDF backends,
# the writer (docs/speed.md), and 2 Dask workers against the local pool (README, Dask).
bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/bench_backends.py --n 22
	$(BIN)/python bench/bench_writer.py --n 1000

# documents a second into DuckDB: one transaction per document vs batches (docs/speed.md)
bench-writer: $(STAMP)
	$(BIN)/python bench/bench_writer.py --n 1000

bench-dask: $(STAMP)
	$(BIN)/python bench/bench_dask.py --n 100

# pdfium vs pdfplumber, ingest vs pdftotext -layout, and where the time goes (README, PDF backends)
bench-backends: $(STAMP)
	$(BIN)/python bench/bench_backends.py --n 22

clean:
	rm -rf $(VENV) $(DB) .pytest_cache .mypy_cache .ruff_cache

# Measurements over the outside corpora in ../shared (not tests: `make test` never reads there).
eval: $(STAMP)
	$(BIN)/python -m eval $(EVAL_ARGS)
