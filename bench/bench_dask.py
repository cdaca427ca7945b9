"""Dask benchmark (not part of the test suite): 2 Dask workers against the local 2-worker pool.

Run: .venv/bin/python bench/bench_dask.py [--n 100] [--repeats 1]

Both ingest the same N PDFs (bench/run.py's build_corpus: the real PDFs, then variants with
changed metadata) into fresh warehouses, each in a fresh process, against one Prefect server
started before any timing (so neither pays for a server start). The Dask cluster is a real
`dask scheduler` and two `dask worker` processes on 127.0.0.1 (one thread each), started
afresh for every repetition so its sandbox pools start cold, like the local pool's.

Also measured, for the scale plan: the flow process's time inside load_extractions per
document (the single writer's cost), and worker-seconds per PDF.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORKERS = 2


def phase(corpus: str, db: str, dask: str) -> dict[str, float]:
    """One ingest in this process; `dask` is a scheduler address or '-' for the local pool."""
    from flows.settings import apply_prefect_defaults

    apply_prefect_defaults()
    import load
    from flows.ingest import ingest_flow_for

    spent = [0.0, 0.0]
    """Seconds inside the writer, and the number of batches it was handed."""
    original = load.load_extractions

    def timed(*args: object, **kwargs: object) -> list[load.Refused]:
        spent[1] += 1
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            spent[0] += time.perf_counter() - started

    load.load_extractions = timed  # type: ignore[assignment]
    flow = ingest_flow_for(None if dask == "-" else dask)
    started = time.perf_counter()
    summary = flow(paths=[corpus], db=db, workers=WORKERS)
    wall = time.perf_counter() - started
    return {"wall": wall, "loaded": summary.loaded, "failed": summary.failed,
            "writer_s": spent[0], "batches": spent[1]}  # fmt: skip


def run_phase(corpus: Path, db: Path, dask: str, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", str(corpus), str(db), dask],
        check=True, capture_output=True, text=True, cwd=ROOT, env=env,
    )  # fmt: skip
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--phase", nargs=3)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(phase(*args.phase)))
        return

    from bench.run import build_corpus
    from flows.prefect_server import local_server
    from tests.flows.dask_cluster import cluster_env, dask_cluster

    os.environ.setdefault("PREFECT_HOME", str(Path(tempfile.gettempdir()) / "caselines-bench"))
    work = Path(tempfile.mkdtemp(prefix="caselines-bench-dask-"))
    corpus = work / "corpus"
    build_corpus(corpus, args.n)
    local: list[dict[str, float]] = []
    remote: list[dict[str, float]] = []
    with local_server() as server:
        env = {**cluster_env(), "PREFECT_API_URL": server.api_url}
        for i in range(args.repeats):
            local.append(run_phase(corpus, work / f"local{i}.duckdb", "-", env))
            with dask_cluster(work / f"dask{i}", n_workers=WORKERS) as cluster:
                remote.append(run_phase(corpus, work / f"dask{i}.duckdb", cluster.address, env))
            print(f"run {i}: local {local[-1]}, dask {remote[-1]}", file=sys.stderr)
    best_local = min(local, key=lambda r: r["wall"])
    best_dask = min(remote, key=lambda r: r["wall"])
    n = args.n
    per_pdf = WORKERS * best_local["wall"] / n
    writer = best_dask["writer_s"] / max(best_dask["loaded"], 1)
    print(f"\ncorpus: {n} PDFs; local {best_local['loaded']:.0f} loaded "
          f"{best_local['failed']:.0f} failed; dask {best_dask['loaded']:.0f} loaded "
          f"{best_dask['failed']:.0f} failed; {os.cpu_count()} CPUs, "
          f"best of {args.repeats}\n")  # fmt: skip
    print("| measure | value | detail |\n|---|---|---|")
    print(f"| throughput 2 Dask workers / local 2-worker pool | "
          f"{best_local['wall'] / best_dask['wall']:.2f} | "
          f"{best_dask['wall']:.1f} s vs {best_local['wall']:.1f} s for {n} PDFs |")  # fmt: skip
    print(f"| worker-seconds per PDF (local, 2 workers) | {per_pdf:.2f} | "
          f"{WORKERS} x {best_local['wall']:.1f} s / {n} |")  # fmt: skip
    print(f"| single writer: load_extractions per document | {writer * 1000:.1f} ms | "
          f"{best_dask['writer_s']:.1f} s over {best_dask['loaded']:.0f} documents in "
          f"{best_dask['batches']:.0f} batches |")  # fmt: skip


if __name__ == "__main__":
    main()
