"""Shared helpers: compile small specs written inline, run the CLI in-process."""

from __future__ import annotations

import contextlib
import io
import textwrap
from pathlib import Path

import pytest

from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.pipeline import compile_one
from qualispec.runtime.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
IFAQ_2024 = SPECS / "ifaq" / "2024"
EXAMPLE = ROOT / "examples" / "ifaq2024.csv"


def write_campaign(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


def compile_folder(folder: Path):
    diagnostics = Diagnostics()
    compiled = compile_one(folder, diagnostics)
    return compiled, diagnostics


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def campaign_dir(tmp_path):
    """A campaign folder: call it with {file name: text} to write the files."""
    def make(files: dict[str, str], name: str = "c") -> Path:
        return write_campaign(tmp_path / name, files)
    return make
