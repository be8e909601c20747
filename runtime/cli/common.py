"""What every command shares: compiling with the compiler's messages, reading a dataset with
its messages, writing text, and a progress line for long runs."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from qualispec.compiler.diagnostics import Diagnostics


def compile_or_report(path: str, quiet_warnings: bool = True):
    """The campaign in ``path``, or None after printing the compiler's messages."""
    from qualispec.compiler.pipeline import compile_one

    diagnostics = Diagnostics()
    compiled = compile_one(path, diagnostics)
    if compiled is None or diagnostics.has_errors():
        report(diagnostics, quiet_warnings=quiet_warnings)
        print(f"{path}: the specs have errors; fix them first (qualispec check {path})", file=sys.stderr)
        return None
    return compiled


def report(diagnostics: Diagnostics, quiet_warnings: bool = False) -> None:
    shown = [d for d in diagnostics.sorted() if not (quiet_warnings and d.severity == "warning")]
    if shown:
        print("\n".join(diagnostics.render_one(d) for d in shown), file=sys.stderr)


def write_or_print(text: str, out: str | None) -> None:
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)


def load_or_report(compiled, data: str):
    from qualispec.runtime.data.dataset import DataError, load_dataset

    try:
        return load_dataset(data, compiled.campaign)
    except DataError as error:
        print(error.render(), file=sys.stderr)
        return None


class Progress:
    """A one-line progress bar on standard error, for long runs at a terminal."""

    def __init__(self, steps: list[str], enabled: bool):
        self.steps, self.enabled, self.start, self.done = steps, enabled and sys.stderr.isatty(), time.perf_counter(), 0

    def __call__(self, label: str) -> None:
        if not self.enabled:
            return
        width = 24
        filled = width * self.done // len(self.steps)
        bar = "█" * filled + "·" * (width - filled)
        sys.stderr.write(f"\r[{bar}] {label:<28} {time.perf_counter() - self.start:6.1f} s")
        sys.stderr.flush()
        self.done += 1

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write(f"\r[{'█' * 24}] {'done':<28} {time.perf_counter() - self.start:6.1f} s\n")
