# Set-up (README, Quick start): `make demo` installs the runtime only (what `caselines`
# needs); `make test`, `make lint` and the benchmarks add the test extras (pytest, ruff,
# mypy, playwright, dask). Both create .venv when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= caselines.duckdb
STAMP  := $(VENV)/.installed
RUNTIME := $(VENV)/.runtime
PYTEST_ARGS ?=
EVAL_ARGS ?=

.PHONY: demo test lint typecheck bench bench-backends bench-dask bench-small bench-writer eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $(RUNTIME)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(RUNTIME) $(STAMP)

demo: $(RUNTIME)
	$(BIN)/caselines ingest corpus/ --db $(DB)
	$(BIN)/caselines query "select * from pfs_by_line" --db $(DB)
	@echo "caselines is $(BIN)/caselines; 'source $(BIN)/activate' puts it on PATH (README, Quick start)"

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Benchmarks stay out of `make test`: the flow (docs/orchestration.md), the PDF backends
# (docs/backends.md), the writer (docs/speed.md), 2 Dask workers against the local pool
# (docs/orchestration.md, Dask), and one new PDF with and without the background Prefect
# server (docs/cli.md).
bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/bench_backends.py --n 22
	$(BIN)/python bench/bench_writer.py --n 1000
	$(BIN)/python bench/bench_dask.py --n 40

# documents a second into DuckDB: one transaction per document vs batches (docs/speed.md)
bench-writer: $(STAMP)
	$(BIN)/python bench/bench_writer.py --n 1000

bench-small: $(STAMP)
	$(BIN)/python bench/bench_small.py --n 3

bench-dask: $(STAMP)
	$(BIN)/python bench/bench_dask.py --n 100

# pdfium vs pdfplumber, ingest vs pdftotext -layout, and where the time goes (docs/backends.md)
bench-backends: $(STAMP)
	$(BIN)/python bench/bench_backends.py --n 22

clean:
	rm -rf $(VENV) $(DB) .pytest_cache .mypy_cache .ruff_cache

# Measurements over the outside corpora in ../shared (not tests: `make test` never reads there).
eval: $(STAMP)
	$(BIN)/python -m eval $(EVAL_ARGS)
