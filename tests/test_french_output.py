"""What a policy author reads is French: the explanations of every scheme's example establishments,
the words eval writes in its columns and prints, and the fiches never show an English word
(« target reached non », « below mco mean ») — code names (num1, level_weight) aside."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import qualispec
from test_specs_schemes import CAMPAIGNS, EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
RUNS = {**{name: (folder, ROOT / "examples" / EXAMPLES[name]) for name, folder in CAMPAIGNS.items()},
        "ifaq_2022": (ROOT / "specs" / "ifaq" / "2022", ROOT / "examples" / "ifaq2022.csv"),
        "ifaq_2024": (ROOT / "specs" / "ifaq" / "2024", ROOT / "examples" / "ifaq2024.csv")}
# English words a French sentence has no use for; a code name (letters glued by _ or \_) is not a word.
ENGLISH = re.compile(r"(?<![\w\\])(?<!\\_)(reached|target|below|above|mean|savings|true|false|none|null|nan|yes|not|and|"
                     r"if|then|else|missing|threshold|weight|payout|result|level|share|count|spending|growth|status|"
                     r"objective|round|floor)(?![\w\\])", re.IGNORECASE)


CODE = re.compile(r"`[^`]*`|\b\w+:(?=\s)")  # `d22.target`, and a spec keyword shown as written (« objective: … »)


# The fiches also show formulas in the spec's own names (« si result > target … » in the table of changes):
# there only English prose words count.
PROSE = re.compile(r"(?<![\w\\.])(?<!\\_)(reached|below|above|mean|savings|true|false|none|nan|yes|not|and|then|else|"
                   r"missing|payout|spending|growth)(?![\w\\])", re.IGNORECASE)


def english_in(text: str, words: re.Pattern = ENGLISH) -> list[str]:
    text = CODE.sub(" ", text)
    return [text[max(0, m.start() - 40):m.end() + 20] for m in words.finditer(text)]


def test_the_scan_finds_english():
    assert english_in("objectif : target reached non")
    assert english_in("résultat sous la moyenne (below mco mean)")
    assert english_in("objectif : target reached non", PROSE) and english_in("(below mco mean)", PROSE)
    assert not english_in("niveau atteint 100,0 % ; poids 4,2 % (level_weight, target\\_reached)")
    assert not english_in("| `num1.target` | modifié | une autre règle s'écrit objective: …")


@pytest.fixture(scope="module", params=sorted(RUNS))
def result(request):
    folder, data = RUNS[request.param]
    return request.param, qualispec.load(folder).evaluate(data)


def test_every_explanation_is_in_french(result):
    name, evaluated = result
    finess = evaluated.rows["finess"].unique(maintain_order=True).to_list()[:40]
    leaks = [(f, w) for f in finess for w in english_in(evaluated.explain(f))]
    assert leaks == [], f"{name}: {leaks[:5]}"


def test_words_written_in_the_outputs_are_french(result):
    name, evaluated = result
    rows = evaluated.rows
    texts = {v for column, dtype in rows.schema.items() if dtype == pl.String and column not in ("finess", "field", "group")
             for v in rows[column].drop_nulls().unique().to_list()}
    assert [t for t in texts if english_in(t)] == [], name


def test_what_eval_prints_is_french(tmp_path):
    for name, (folder, data) in RUNS.items():
        run = subprocess.run([sys.executable, "-m", "qualispec", "eval", str(folder), "--data", str(data),
                              "--out", str(tmp_path / f"{name}.csv")], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert english_in(run.stdout + run.stderr) == [], name


def test_the_fiches_are_in_french():
    leaks = [f"{path.relative_to(ROOT)}: {w}" for path in sorted((ROOT / "generated").rglob("*.md"))
             for line in path.read_text(encoding="utf-8").splitlines() for w in english_in(line, PROSE)]
    assert leaks == [], "\n".join(leaks[:20])
