"""How long `qualispec check specs/` takes, stage by stage, against bare Python start-up.

    python benchmarks/bench_check.py [PATH]

Prints, best of 5: the whole command as a user runs it (a fresh process), the same
with nothing to do but start Python and import the compiler (the floor any check pays),
and in-process timings of parsing, checking and the group partition proofs.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def best_of(fn, n=5) -> float:
    best = float("inf")
    for _ in range(n):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "specs")
    command = best_of(lambda: subprocess.run(["qualispec", "check", "-q", path], capture_output=True, check=True))
    floor = best_of(lambda: subprocess.run(
        [sys.executable, "-c", "import qualispec.compiler.pipeline, qualispec.runtime.cli.main"], check=True))

    from qualispec.compiler import pipeline
    from qualispec.compiler.syntax import parse
    from qualispec.compiler.proofs import partition
    from qualispec.compiler.diagnostics import Diagnostics
    from qualispec.compiler.syntax.load import campaign_folders
    from qualispec.compiler.syntax.parse import parse_text

    files = sorted(Path(path).rglob("*.spec"))
    texts = [(str(f), f.read_text(encoding="utf-8")) for f in files]
    def fresh(fn):
        def run():
            parse._PARSED.clear()  # each file parsed again, as in a fresh process
            return fn()
        return run

    parsing = best_of(fresh(lambda: [parse_text(t, p, Diagnostics()) for p, t in texts]))
    whole = best_of(fresh(lambda: pipeline.compile_path(path, Diagnostics())))
    compiled = pipeline.compile_path(path, Diagnostics())
    proofs = best_of(lambda: [partition.check_partition(c.campaign, Diagnostics()) for c in compiled])
    lines = sum(t.count("\n") for _, t in texts)
    print(f"{len(campaign_folders(path))} campaigns, {len(files)} files, {lines} lines of spec")
    print(f"qualispec check (fresh process)       {command:7.3f} s")
    print(f"  of which Python start-up + imports  {floor:7.3f} s   (baseline: a process that only imports)")
    print(f"in process: compile everything        {whole:7.3f} s")
    print(f"  parsing alone                       {parsing:7.3f} s")
    print(f"  group partition proofs (z3)         {proofs:7.3f} s")


if __name__ == "__main__":
    main()
