"""Shared helpers: compile small specs written inline, run the CLI in-process."""

from __future__ import annotations

import contextlib
import csv
import json
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


# ------------------------------------------------------------------ the IFAQ 2022 → 2024 diff, read by several files
IFAQ_2022_2024 = (SPECS / "ifaq" / "2022", SPECS / "ifaq" / "2024", ROOT / "examples" / "ifaq2022_2024.csv")


@pytest.fixture(scope="session")
def rules_diff_2022_2024() -> str:
    """`qualispec diff` of IFAQ 2022 and 2024 in the terminal, rules only."""
    code, out, err = run_cli("diff", *IFAQ_2022_2024[:2])
    assert code == 0, err
    return out


@pytest.fixture(scope="session")
def money_diff_2022_2024() -> str:
    """The same with the money of the bundled dataset; French thousands spaces read as spaces."""
    code, out, err = run_cli("diff", *IFAQ_2022_2024[:2], "--data", IFAQ_2022_2024[2])
    assert code == 0, err
    return out.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.fixture(scope="session")
def rules_diff_2022_2024_markdown() -> str:
    """The rules' diff in Markdown: every change, none cut."""
    code, out, err = run_cli("diff", *IFAQ_2022_2024[:2], "--format", "markdown")
    assert code == 0, err
    return out


@pytest.fixture(scope="session")
def money_diff_2022_2024_json() -> dict:
    """The money diff in JSON: every row."""
    code, out, err = run_cli("diff", *IFAQ_2022_2024[:2], "--data", IFAQ_2022_2024[2], "--format", "json")
    assert code == 0, err
    return json.loads(out)


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


def evaluated(folder: Path, data: Path, out: Path, engines: tuple[str, ...] = ENGINES[:1]) -> list[dict]:
    """`qualispec eval` of ``folder`` on ``data`` with each of ``engines`` (by default the embedded one); the files
    they write must be the same, byte for byte: every cell, every cent, in the same order. The rows, as text."""
    written = {}
    for name in engines:
        path = out.with_name(f"{out.stem}-{name}{out.suffix}")
        code, stdout, stderr = run_cli("eval", folder, "--data", data, "--out", path, "--engine", name, "-q")
        assert code == 0, f"{name}: {stdout}{stderr}"
        written[name] = path.read_bytes()
    for name in engines[1:]:
        assert written[name] == written[engines[0]], f"{name} wrote another file than {engines[0]}"
    out.write_bytes(written[engines[0]])
    with open(out, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(params=ENGINES)
def engine(request) -> Engine:
    """Each evaluation test runs on every engine: embedded Polars and Spark."""
    spark = request.getfixturevalue("spark_session") if request.param == "spark" else None
    return Engine(request.param, spark)
