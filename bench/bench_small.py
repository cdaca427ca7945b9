"""One new PDF through `caselines ingest`, with and without the background Prefect server
(not part of the test suite): `make bench-small` or `python bench/bench_small.py [--n 3]`.

Each run is the real command in a fresh process adding the seed article to a warehouse
that already holds another PDF (a copy of one made by an untimed first ingest, which also
makes Prefect's SQLite database and loads the drug synonyms, as a user's earlier ingest
did); timed are its wall clock and its CPU (the command and every process it waited for).
Without the server, Prefect starts its ephemeral server inside the command; with it,
`caselines server start` runs first, untimed. The machine's load average is printed
beside the figures, which move with it.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PDF = ROOT / "corpus" / "tcr-22-2483.pdf"
EARLIER = ROOT / "tests" / "fixtures" / "fmed-08-678227.pdf"
"""The PDF the warehouse already holds before the timed ingest."""
GOAL_WITH_SERVER_S = 8.0
"""Issue 21: one new PDF in at most 8 s wall on the 2-core machine with the server up."""


@dataclass(frozen=True)
class Timing:
    wall_s: float
    cpu_s: float


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def caselines(args: list[str], env: dict[str, str]) -> Timing:
    cpu0, t0 = _children_cpu(), time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    wall, cpu = time.monotonic() - t0, _children_cpu() - cpu0
    if done.returncode != 0:
        raise SystemExit(f"caselines {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return Timing(wall, cpu)


def ingest_once(work: Path, env: dict[str, str], k: int) -> Timing:
    db = work / f"w{k}.duckdb"
    shutil.copy(work / "base.duckdb", db)
    return caselines(["ingest", str(PDF), "--db", str(db)], env)


def summarize(label: str, runs: list[Timing]) -> str:
    walls = [r.wall_s for r in runs]
    cpus = [r.cpu_s for r in runs]
    return (
        f"| {label} | {statistics.median(walls):.1f} s | {min(walls):.1f}-{max(walls):.1f} s "
        f"| {statistics.median(cpus):.1f} s |"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3, help="Timed runs per mode.")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="caselines-bench-small-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(work / "prefect-home")
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    try:
        caselines(["ingest", str(EARLIER), "--db", str(work / "base.duckdb")], env)  # untimed
        without = [ingest_once(work, env, k) for k in range(args.n)]
        caselines(["server", "start"], env)
        try:
            with_server = [ingest_once(work, env, 100 + k) for k in range(args.n)]
        finally:
            caselines(["server", "stop"], env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load1, load5, _ = os.getloadavg()
    print(
        f"one new PDF ({PDF.name}) into a warehouse holding {EARLIER.name}, {args.n} runs "
        f"each; load average {load1:.1f} / {load5:.1f}"
    )
    print("| ingest of one new PDF | wall (median) | wall (range) | CPU (median) |")
    print("|---|---|---|---|")
    print(summarize("without a server (ephemeral Prefect)", without))
    print(summarize("with `caselines server start`", with_server))
    best = statistics.median(r.wall_s for r in with_server)
    verdict = "met" if best <= GOAL_WITH_SERVER_S else "not met"
    print(f"goal: <= {GOAL_WITH_SERVER_S:.0f} s wall with the server up: {verdict}")


if __name__ == "__main__":
    main()
