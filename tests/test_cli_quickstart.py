"""The README's quick start works as written: its `caselines` commands run in order, each as
a real process, in a fresh folder holding what a clone has (corpus/); `make demo` installs
the runtime only; and the background Prefect server serves an ingest, is seen by
`server status`, and stops."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli_run import Run, caselines, clean_env
from tests.conftest import ROOT, SEED_PDF

README = ROOT / "README.md"
QUICK_START = "## Quick start"
MAX_QUICK_START_LINES = 30


def quick_start() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(QUICK_START)
    end = text.index("\n## ", start + len(QUICK_START))
    return text[start:end]


def quick_start_commands() -> list[list[str]]:
    """Every `caselines ...` line of the quick start's code blocks, comment cut off."""
    commands = []
    in_block = False
    for line in quick_start().splitlines():
        if line.startswith("```"):
            in_block = not in_block
            continue
        if in_block and line.startswith("caselines "):
            commands.append(shlex.split(line, comments=True)[1:])
    return commands


def test_the_quick_start_is_short_and_names_how_to_call_caselines() -> None:
    text = quick_start()
    assert len(text.splitlines()) <= MAX_QUICK_START_LINES
    assert "make demo" in text and ".venv/bin/activate" in text
    steps = [c[0] for c in quick_start_commands()]
    for step in ("ingest", "report", "query"):
        assert step in steps, step


def test_make_demo_installs_the_runtime_only_and_make_test_the_extras() -> None:
    def planned(target: str) -> list[str]:
        done = subprocess.run(
            ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return [x for x in done.stdout.splitlines() if "pip install" in x and " -e " in x]

    assert planned("demo") == [".venv/bin/pip install --quiet -e ."]
    assert planned("test") == ['.venv/bin/pip install --quiet -e ".[test]"']
    assert planned("lint") == planned("test")


def _ok(run: Run, what: str) -> Run:
    assert run.code == 0, f"{what}: {run.stdout}\n{run.stderr}"
    assert "Traceback" not in run.stdout + run.stderr, what
    return run


@pytest.mark.slow
def test_the_quick_start_runs_as_written(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    (clone / "corpus").mkdir(parents=True)
    shutil.copy(SEED_PDF, clone / "corpus" / SEED_PDF.name)
    env = clean_env(tmp_path)
    commands = quick_start_commands()
    assert commands[0] == ["server", "start"] and commands[-1] == ["server", "stop"]
    outputs: dict[str, Run] = {}
    try:
        for args in commands:
            outputs[args[0]] = _ok(caselines(*args, env=env, cwd=clone), " ".join(args))
            if args == ["server", "start"]:
                _ok(caselines("server", "status", env=env, cwd=clone), "server status")
    finally:
        caselines("server", "stop", env=env, cwd=clone)
    assert "using the background Prefect server" in outputs["ingest"].stderr
    assert "1 found, 1 loaded, 0 unchanged, 0 failed" in outputs["ingest"].stdout
    assert list((clone / "my-report").glob("index.html"))
    assert SEED_PDF.stem in outputs["cases"].stdout
    assert "Line 1" in outputs["show"].stdout
    assert "stopped" in outputs["server"].stdout
    down = caselines("server", "status", env=env, cwd=clone)
    assert down.code == 1 and "no Prefect server running" in down.stdout
    # the same PDF again answers at once, without Prefect or pandas, in JSON when asked
    again = _ok(
        caselines(
            "ingest", "corpus/", "--db", "my.duckdb", "--json",
            env=env, cwd=clone, python_flags=("-X", "importtime"),
        ),
        "again",
    )  # fmt: skip
    summary = json.loads(again.stdout)
    assert (summary["found"], summary["loaded"], summary["unchanged"]) == (1, 0, 1)
    imported = {x.split("|")[-1].strip() for x in again.stderr.splitlines() if "|" in x}
    assert "duckdb" in imported  # the check reads the warehouse
    assert "prefect" not in imported and "pandas" not in imported
