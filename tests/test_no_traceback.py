"""Whatever an author types, the compiler answers with messages, never with a crash.

Each case takes a shipped spec file, damages it at a random place (a character deleted,
inserted or doubled, a line removed, a token swapped), and checks the campaign. Seeded,
so a failure is reproducible: the assertion message says which file and mutation.
"""

from __future__ import annotations

import random
import shutil

import pytest

from conftest import SPECS, run_cli

TOKENS = ["{", "}", "(", ")", "[", "]", ":", ",", "=", ">=", "%", "€", "and", "or", "not", "if", "then", "else",
          "over", "group", "field", "missing", "\"", '"""', "->", "=>", "_", "0", "-", "*", "/", "let", "override",
          "indicator", "parameter", "stays", "num1.result", "quantile(", "decide (", "piecewise("]


def mutate(text: str, rng: random.Random) -> tuple[str, str]:
    at = rng.randrange(len(text))
    kind = rng.choice(["delete", "insert", "double", "drop-line", "token"])
    if kind == "delete":
        return text[:at] + text[at + 1:], f"delete at {at}"
    if kind == "insert":
        c = rng.choice(TOKENS)
        return text[:at] + c + text[at:], f"insert {c!r} at {at}"
    if kind == "double":
        return text[:at] + text[at] + text[at:], f"double at {at}"
    if kind == "drop-line":
        lines = text.split("\n")
        i = rng.randrange(len(lines))
        return "\n".join(lines[:i] + lines[i + 1:]), f"drop line {i + 1}"
    words = text.split(" ")
    i = rng.randrange(len(words))
    words[i] = rng.choice(TOKENS)
    return " ".join(words), f"replace word {i} by {words[i]!r}"


@pytest.mark.parametrize("seed", range(60))
def test_a_damaged_spec_gets_messages_not_a_crash(tmp_path, seed):
    rng = random.Random(seed)
    scheme = rng.choice(["ifaq", "caqes"])
    shutil.copytree(SPECS / scheme, tmp_path / scheme)
    files = sorted((tmp_path / scheme).rglob("*.spec"))
    target = rng.choice(files)
    text, how = mutate(target.read_text(encoding="utf-8"), rng)
    target.write_text(text, encoding="utf-8")
    code, out, err = run_cli("check", target.parent)
    where = f"{target.relative_to(tmp_path)}: {how}"
    assert code in (0, 1), where
    assert "erreur interne" not in err and "Traceback" not in err, f"{where}\n{err}"


CELLS = ["", "-1", "abc", "1e309", "nan", "inf", "0", "99999999999999999999", "1,5", "true", "  ", "NULL", "é",
         "12.5", "-0", "1_000"]


@pytest.mark.parametrize("seed", range(40))
def test_a_damaged_dataset_is_refused_or_evaluated_never_a_crash(tmp_path, seed):
    from conftest import EXAMPLE, IFAQ_2024

    rng = random.Random(seed)
    header, *rows = EXAMPLE.read_text(encoding="utf-8").splitlines()[:60]
    table = [r.split(",") for r in rows]
    for _ in range(rng.randint(1, 4)):
        r, c = rng.randrange(len(table)), rng.randrange(len(header.split(",")))
        table[r][c] = rng.choice(CELLS)
    data = tmp_path / "d.csv"
    data.write_text(header + "\n" + "\n".join(",".join(r) for r in table) + "\n", encoding="utf-8")
    code, _, err = run_cli("eval", IFAQ_2024, "--data", data, "--out", tmp_path / "r.parquet", "--quiet")
    assert code in (0, 1) and "erreur interne" not in err, err
    if code == 1:
        assert "jeu de données refusé" in err and not (tmp_path / "r.parquet").exists()
