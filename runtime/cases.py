"""Policy-author test cases: small datasets with the outcomes expected by hand.

A campaign folder may hold ``cases/*.csv``. Each file is a table a policy author can
read and fill in a spreadsheet:

- ``case``: a short title; consecutive rows with the same title form one population,
  evaluated together (thresholds are quantiles over the population);
- the dataset columns (as ``qualispec inputs`` lists them); a column the file does
  not have is empty;
- ``expect.<column>``: the expected output (``group``, ``num1_score``,
  ``ipp_eligible``, ``total_payout`` …). An empty cell is not checked; ``missing``
  expects no value. A number matches to the precision it is written with: 38.46
  accepts anything that rounds to 38.46.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import polars as pl

from qualispec.compiler import french
from qualispec.compiler.pipeline import Compiled
from qualispec.runtime.data.contract import contract_rows
from qualispec.runtime.data.dataset import DataError, _Where, validate
from qualispec.runtime.evaluate import evaluate

EXPECT = "expect."
_TRUE = ("true", "oui", "vrai", "yes", "1")
_FALSE = ("false", "non", "faux", "no", "0")
_MISSING = ("missing", "manquant", "vide", "—", "none", "null")


@dataclass
class CaseResult:
    file: str
    title: str
    first_line: int
    failures: list[str] = field(default_factory=list)
    outputs: list[dict] = field(default_factory=list)  # the evaluated rows, for diffs between campaigns

    @property
    def passed(self) -> bool:
        return not self.failures


def case_files(folder: str | Path) -> list[Path]:
    return sorted((Path(folder) / "cases").glob("*.csv"))


def run_cases(compiled: Compiled, folder: str | Path, engine=evaluate) -> list[CaseResult]:
    """``engine``: what evaluates each population, ``engine(compiled, frame)`` (the embedded one by default)."""
    results = []
    for path in case_files(folder):
        results.extend(run_case_file(compiled, path, engine))
    return results


def run_case_file(compiled: Compiled, path: Path, engine=evaluate) -> list[CaseResult]:
    table = pl.read_csv(path, infer_schema=False)
    if "case" not in table.columns:
        return [CaseResult(str(path), "(file)", 1, [f"{path} : pas de colonne « case » ; la première colonne nomme chaque cas"])]
    contract = [c.name for c in contract_rows(compiled.campaign)]
    expects = [c for c in table.columns if c.startswith(EXPECT)]
    unknown = [c for c in table.columns if c not in contract and c != "case" and not c.startswith(EXPECT)
               and not c.startswith("#")]
    results = []
    titles = table["case"].to_list()
    start = 0
    while start < len(titles):
        end = start
        while end < len(titles) and titles[end] == titles[start]:
            end += 1
        results.append(_run_one(compiled, path, table.slice(start, end - start), start, contract, expects, unknown,
                                engine))
        start = end
    return results


def _run_one(compiled, path, rows: pl.DataFrame, offset: int, contract, expects, unknown, engine) -> CaseResult:
    title = rows["case"][0] or "(sans titre)"
    result = CaseResult(str(path), title, offset + 2)
    if unknown:
        result.failures.append(f"colonnes inconnues du jeu de données de la campagne : {', '.join(unknown)} (voir : qualispec inputs)")
        return result
    data = rows.select([pl.col(c) if c in rows.columns else pl.lit(None, dtype=pl.String).alias(c) for c in contract])
    try:
        frame = validate(data, compiled.campaign, _Where(str(path), True, offset))
    except DataError as error:
        result.failures.extend(error.problems)
        return result
    evaluation = engine(compiled, frame)
    outputs = evaluation.rows.to_dicts()
    result.outputs = outputs
    for i, (expected_row, actual) in enumerate(zip(rows.select(expects).to_dicts(), outputs)):
        line = offset + i + 2
        for key, want in expected_row.items():
            column = key[len(EXPECT):]
            if want is None or want.strip() == "":
                continue
            if column not in actual:
                result.failures.append(f"ligne {line} : pas de colonne de résultat « {column} » (résultats : {', '.join(actual)})")
                continue
            ok, shown = matches(want.strip(), actual[column])
            if not ok:
                who = actual.get("finess", "")
                result.failures.append(f"ligne {line} ({who}) : {column} attendu {want.strip()}, obtenu {shown}")
    return result


def matches(want: str, got) -> tuple[bool, str]:
    shown = "missing" if got is None else plain(got) if isinstance(got, Decimal) else str(got)
    low = want.lower()
    if low in _MISSING:
        return got is None, shown
    if got is None:
        return False, shown
    if isinstance(got, bool):
        if low in _TRUE:
            return got is True, shown
        if low in _FALSE:
            return got is False, shown
        return False, shown
    if isinstance(got, (int, float, Decimal)):
        try:
            expected = Decimal(want.replace(",", ".").replace("\u202f", "").replace(" ", ""))
        except InvalidOperation:
            return False, shown
        if not expected.is_finite():
            return False, shown
        exponent = expected.as_tuple().exponent
        # 38.46 accepts what rounds to 38.46; a whole number (100) must be exact.
        tolerance = Decimal(5).scaleb(exponent - 1) if exponent < 0 else Decimal("1e-9")
        value = got if isinstance(got, Decimal) else Decimal(repr(float(got)))
        return abs(value - expected) <= tolerance, shown
    return str(got) == want, shown


def plain(value: Decimal) -> str:
    """A written decimal without its trailing zeros: 80.000000 → 80, 82.430000 → 82.43."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def render(results: list[CaseResult], only_failures: bool = False) -> str:
    """Each case « réussi » or « ÉCHEC » with why (``only_failures``: the failures only), then the count, in French."""
    lines = []
    for r in results:
        if r.passed and only_failures:
            continue
        if r.passed:
            lines.append(f"réussi  {r.file}:{r.first_line}  {r.title}")
        else:
            lines.append(f"ÉCHEC   {r.file}:{r.first_line}  {r.title}")
            lines.extend(f"        {f}" for f in r.failures)
    passed, failed = sum(r.passed for r in results), sum(not r.passed for r in results)
    lines.append(f"{_count(passed, 'cas réussi', 'cas réussis')}, {_count(failed, 'en échec', 'en échec')}")
    return "\n".join(lines)


def _count(n: int, one: str, many: str) -> str:
    """« 1 cas réussi », « 2 000 cas réussis » (French grouping, singular for 0 and 1)."""
    return f"{french.plain(n)} {one if n < 2 else many}"
