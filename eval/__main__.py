"""`make eval`: every evaluation script in turn, each printing its own table.

Each entry is (module, arguments). A script that fails does not stop the others; the exit
code is non-zero when any failed, or at once (one line) when ../shared is absent.
"""

from __future__ import annotations

import importlib
import sys
import time

from eval.shared import require

SCRIPTS: list[tuple[str, list[str]]] = [
    ("eval.ade_recall", []),
    ("eval.ade_pdf_recall", []),
    ("eval.drug_precision", []),
    ("eval.maccrobat", []),
    ("eval.precision", []),
    ("eval.gold", []),
    ("eval.conservation", []),
    ("eval.front_matter", []),
    ("eval.backend_equivalence", []),
    ("eval.coverage", []),
    ("eval.cohort_page", []),
]


def main(argv: list[str] | None = None) -> int:
    require()
    only = set(argv if argv is not None else sys.argv[1:])
    failed: list[str] = []
    for module, args in SCRIPTS:
        name = module.rsplit(".", 1)[-1]
        if only and name not in only:
            continue
        print(f"\n## {name}\n", flush=True)
        started = time.perf_counter()
        try:
            code = importlib.import_module(module).main(args)
        except SystemExit as exc:  # argparse and require() exit this way
            code = exc.code if isinstance(exc.code, int) else 1
        if code:
            failed.append(name)
        print(f"\n({name}: {time.perf_counter() - started:.0f} s, exit {code})", flush=True)
    if failed:
        print(f"make eval: failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
