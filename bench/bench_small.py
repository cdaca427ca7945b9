"""One new PDF through `caselines ingest`, with and without the background Prefect server
(not part of the test suite): `make bench-small` or `python bench/bench_small.py [--n 3]`.

Each run is the real command in a fresh process adding the seed article to a warehouse
that already holds another PDF (a copy of one made by an untimed first ingest, which also
makes Prefect's SQLite database and loads the drug synonyms, as a user's earlier ingest
did); timed are its wall clock and its CPU (the command and every process it started: the
workers' forkserver and the workers, reaped through a subreaper).
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
    load1: float
    """The machine's 1-minute load average when the run started (2 cores: above 2 is busy)."""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


PR_SET_CHILD_SUBREAPER = 36
"""prctl option (Linux): orphaned descendants are re-parented to this process, not init."""
_REAPER = f"""
import ctypes, os, subprocess, sys
ctypes.CDLL(None, use_errno=True).prctl({PR_SET_CHILD_SUBREAPER}, 1, 0, 0, 0)
code = subprocess.call(sys.argv[1:])
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
sys.exit(code)
"""
"""Runs the command and then reaps every process it left behind (the workers' forkserver
outlives the command by a moment), so that their CPU counts in RUSAGE_CHILDREN: without it,
the forkserver and the workers it forked, never waited for by the command, went uncounted."""


def caselines(args: list[str], env: dict[str, str], *, reap: bool = True) -> Timing:
    """The command's wall clock until it and every process it started have exited, and the
    CPU of all of them (`reap=False` for `server start`, whose server is meant to outlive
    it)."""
    reaper = [sys.executable, "-c", _REAPER] if reap else []
    load1 = os.getloadavg()[0]
    cpu0, t0 = _children_cpu(), time.monotonic()
    done = subprocess.run(
        [*reaper, sys.executable, "-m", "flows.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    wall, cpu = time.monotonic() - t0, _children_cpu() - cpu0
    if done.returncode != 0:
        raise SystemExit(f"caselines {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return Timing(wall, cpu, load1)


def ingest_once(work: Path, env: dict[str, str], k: int) -> Timing:
    db = work / f"w{k}.duckdb"
    shutil.copy(work / "base.duckdb", db)
    return caselines(["ingest", str(PDF), "--db", str(db)], env)


def summarize(label: str, runs: list[Timing]) -> str:
    walls = [r.wall_s for r in runs]
    cpus = [r.cpu_s for r in runs]
    loads = [r.load1 for r in runs]
    return (
        f"| {label} | {min(loads):.1f}-{max(loads):.1f} | {statistics.median(walls):.1f} s "
        f"| {min(walls):.1f}-{max(walls):.1f} s | {statistics.median(cpus):.1f} s |"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3, help="Timed runs per mode.")
    ap.add_argument(
        "--server-only",
        action="store_true",
        help="Only the runs with the server up (the goal's figure; an A/B comparison).",
    )
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="caselines-bench-small-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(work / "prefect-home")
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    try:
        caselines(["ingest", str(EARLIER), "--db", str(work / "base.duckdb")], env)  # untimed
        without = [] if args.server_only else [ingest_once(work, env, k) for k in range(args.n)]
        caselines(["server", "start"], env, reap=False)
        try:
            with_server = [ingest_once(work, env, 100 + k) for k in range(args.n)]
        finally:
            caselines(["server", "stop"], env, reap=False)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"one new PDF ({PDF.name}) into a warehouse holding {EARLIER.name}, {args.n} runs "
        f"each, on {os.cpu_count()} CPUs"
    )
    print(
        "| ingest of one new PDF | load average (1 min, at each start) | wall (median) "
        "| wall (range) | CPU (median) |"
    )
    print("|---|---|---|---|---|")
    if without:
        print(summarize("without a server (ephemeral Prefect)", without))
    print(summarize("with `caselines server start`", with_server))
    best = statistics.median(r.wall_s for r in with_server)
    verdict = "met" if best <= GOAL_WITH_SERVER_S else "not met"
    print(f"goal: <= {GOAL_WITH_SERVER_S:.0f} s wall with the server up: {verdict}")


if __name__ == "__main__":
    main()
