"""`docs` makes the money reports in a second process while it writes the fiches, same bytes.

The report of a campaign that declares an example dataset (rapport-remunerations.toml) evaluates both
campaigns once per rule change: about as long as all the fiches. `docs` hands it to one background
process (`python -m qualispec.runtime.impact_site`), started before `docs` compiles and handed the two
campaigns and their rule diff as `docs` compiled them (pickled: it compiles nothing again), the last prepared
first; `docs` makes itself any page that process has not started when it needs it. A process that fails or cannot be started changes
nothing but the time: the page is made in `docs` itself.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from conftest import ROOT, run_cli
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.diff.rules import diff
from qualispec.compiler.pipeline import compile_folder
from qualispec.runtime import impact_site

SITE = ROOT / "generated"
DECLARATION = ROOT / "specs" / "ifaq" / "2024" / impact_site.DECLARATION


def _ifaq(tmp_path):
    specs = tmp_path / "specs" / "ifaq"
    shutil.copytree(ROOT / "specs" / "ifaq", specs)
    (tmp_path / "examples").mkdir()
    shutil.copy(ROOT / "examples" / "ifaq2022_2024.csv", tmp_path / "examples")
    return specs


def _campaigns(declaration):
    """The campaign of ``declaration``, its base and their rule diff, as docs hands them to the process."""
    new = compile_folder(declaration.parent, Diagnostics())
    old = compile_folder(Path(new.campaign.extends_path), Diagnostics())
    return old, new, diff(old.campaign, new.campaign)


def _same_page_and_nothing_left(out):
    assert (out / "ifaq_2024" / impact_site.PAGE).read_bytes() == (SITE / "ifaq_2024" / impact_site.PAGE).read_bytes()
    background = impact_site._BACKGROUND  # every page prepared was asked for, or dropped: the process has ended
    assert not background.waiting and not background.given and not background.done and background.process is None


def test_the_background_process_makes_the_page_docs_would_make():
    names, error, html = impact_site._made_apart(str(DECLARATION), *_campaigns(DECLARATION))
    assert names == ("ifaq_2022", "ifaq_2024") and error is None
    assert html == (SITE / "ifaq_2024" / impact_site.PAGE).read_text(encoding="utf-8")


def test_the_process_is_given_the_last_page_prepared_and_answers_it():
    background = impact_site._Background()
    first, last = ROOT / "specs" / "hopen" / "2023" / impact_site.DECLARATION, DECLARATION
    with background.lock:  # both prepared before it is ready
        job_first, job_last = background.submit(first, *_campaigns(first)), background.submit(last, *_campaigns(last))
    with background.lock:  # once ready, it takes the last page prepared; docs would make the first one itself
        while job_last not in background.given | set(background.done):
            assert background.lock.wait(timeout=120), "the background process never took a page"
    assert background.result(job_first) is None  # not started there: made here
    names, error, html = background.result(job_last)
    assert names == ("ifaq_2022", "ifaq_2024") and error is None
    assert html == (SITE / "ifaq_2024" / impact_site.PAGE).read_text(encoding="utf-8")
    assert background.process is None  # nothing left to make: it has ended


def test_docs_with_the_background_process_writes_the_same_page(tmp_path):
    code, _, err = run_cli("docs", _ifaq(tmp_path), "--out", tmp_path / "out", "-q")
    assert code == 0, err
    _same_page_and_nothing_left(tmp_path / "out")


def test_a_background_process_that_fails_changes_nothing_but_the_time(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "executable", shutil.which("false"))  # the process ends at once, answering nothing
    code, _, err = run_cli("docs", _ifaq(tmp_path), "--out", tmp_path / "out", "-q")
    assert code == 0, err
    _same_page_and_nothing_left(tmp_path / "out")


def test_a_page_not_started_there_is_made_here():
    background = impact_site._Background()
    background.waiting.append("1")  # prepared, not given to any process yet
    assert background.result("1") is None  # docs makes it itself
    assert not background.waiting


def test_a_run_stopped_on_errors_leaves_nothing_to_the_next(tmp_path):
    specs = _ifaq(tmp_path)
    broken = specs / "2024" / "zz_broken.spec"
    broken.write_text("indicator {\n", encoding="utf-8")
    code, _, _ = run_cli("docs", specs, "--out", tmp_path / "out", "-q")
    assert code == 1 and not (tmp_path / "out" / "ifaq_2024").exists()
    broken.unlink()
    code, _, err = run_cli("docs", specs, "--out", tmp_path / "out", "-q")
    assert code == 0, err
    _same_page_and_nothing_left(tmp_path / "out")
