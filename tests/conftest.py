"""Shared helpers: compile small specs written inline, run the CLI in-process."""

from __future__ import annotations

import contextlib
import io
import shutil
import textwrap
from pathlib import Path

import pytest
from dataclasses import dataclass

from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.pipeline import compile_one
from qualispec.runtime.cli.main import main
from qualispec.runtime.engines import ENGINES
from qualispec.runtime.on_engine import evaluate_on

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
IFAQ_2024 = SPECS / "ifaq" / "2024"
EXAMPLE = ROOT / "examples" / "ifaq2024.csv"


def write_campaign(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


def with_typo(tmp_path: Path, scheme: str, year: str, file: str, written: str, typo: str):
    """The scheme's shipped specs copied to ``tmp_path`` with ``written`` replaced by ``typo`` in one file
    (``year`` empty for a scheme of one campaign): the campaign's folder, the file and the typo's line."""
    shutil.copytree(SPECS / scheme, tmp_path / scheme)
    path = tmp_path / scheme / year / file if year else tmp_path / scheme / file
    text = path.read_text(encoding="utf-8")
    assert written in text, f"{written!r} is no longer in {file}: update this test"
    path.write_text(text.replace(written, typo, 1), encoding="utf-8")
    return path.parent, path, text[:text.index(written)].count("\n") + 1


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


# ------------------------------------------------------------------ engines
@dataclass(frozen=True)
class Engine:
    """An engine the evaluation tests run on: the same test, the same expected values."""

    name: str
    spark: object = None

    def evaluate(self, compiled, frame):
        return evaluate_on(self.name, compiled, frame, self.spark)

    def __str__(self) -> str:
        return self.name


@pytest.fixture(scope="session")
def spark_session():
    """One Spark session on two cores for the whole run, started on first use, real (no stub)."""
    from qualispec.runtime.engines import spark_engine

    session = spark_engine().session("local[2]")
    yield session
    session.stop()


@pytest.fixture(params=ENGINES)
def engine(request) -> Engine:
    """Each evaluation test runs on every engine: embedded Polars and Spark."""
    spark = request.getfixturevalue("spark_session") if request.param == "spark" else None
    return Engine(request.param, spark)
