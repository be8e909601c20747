"""A mutation campaign: single typos made in every shipped spec, and whether the compiler says them.

Each mutation changes one thing in one .spec file under specs/ (a `%` dropped, a percent written as
a ratio, a value ×10 or ÷10, a comparison flipped, a parameter's unit changed with its value, two
weights swapped, a weight doubled, a quantile's order out of range), compiles that campaign in-process
(the pipeline with its proofs) and records whether an error or a warning is said at the edited line
(« dite à la ligne »), only elsewhere (« dite ailleurs »), or not at all (« muette »).

    python -m tests.typo_mutations                 # the survival table, with silent examples
    python -m tests.typo_mutations --examples 8 --class flip_strictness

Values inside `range:` (a guard on plausible values, which pays nothing) and inside texts and comments
are not mutated. tests/test_typos_mutation_floor.py runs a sample of each class and holds the floor.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.pipeline import compile_folder

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"

CLASSES = {
    "drop_percent": "`20%` → `20` (le % oublié)",
    "percent_as_ratio": "`20%` → `0.2` (un pourcentage écrit en ratio)",
    "times_ten": "une valeur ×10 (`20%` → `200%`, `500` → `5000`)",
    "divided_by_ten": "une valeur ÷10 (`20%` → `2%`)",
    "flip_strictness": "`<` ↔ `<=`, `>` ↔ `>=`",
    "flip_direction": "`<` ↔ `>`, `<=` ↔ `>=`",
    "unit_with_value": "l'unité changée avec la valeur (`percent = 20%` → `ratio = 0.2`)",
    "swap_weights": "deux poids échangés",
    "double_weight": "un poids doublé (l'enveloppe dépassée)",
    "quantile_order": "l'ordre d'un quantile hors de 0–100 % (`130%`, `30`)",
}

_TOKEN = re.compile(r'(?P<string>"""(?s:.*?)"""|"[^"\\\n]*(?:\\.[^"\\\n]*)*")|(?P<comment>#[^\n]*)'
                    r"|(?P<name>[A-Za-z_][A-Za-z0-9_{}]*)"
                    r"|(?P<number>[0-9][0-9_]*(?:\.[0-9]+)?)(?P<unit>[ \t]*(?:%|€|k€|M€|days(?![A-Za-z0-9_])))?"
                    r"|(?P<op>>=|<=|!=|->|=>|[<>])")
_LITERAL = r"(?<![\w.])([0-9][0-9_]*(?:\.[0-9]+)?)(?:[ \t]*%)?"
_PARAMETER = re.compile(r"^\s*parameter\s+\w+\s*:\s*(?P<unit>percent|ratio)(?:\s+by\s+\w+)?\s*=\s*"
                        r"(?P<value>\{[^}]*\}|[0-9][0-9_.]*(?:[ \t]*%)?)\s*\{")
# a parameter's written value: `parameter w: ratio = 0.25 {`, `override s = { MCO: 17%, … } {`
_VALUE = re.compile(r"^[ \t]*(?:parameter|override)[ \t]+(?P<name>\w+)(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*:[ \t]*(?P<unit>\w+))?"
                    r"(?:[ \t]+by[ \t]+\w+)?[ \t]*=[ \t]*(?P<value>\{[^}\n]*\}|[0-9][0-9_.]*(?:[ \t]*%)?)[ \t]*\{", re.MULTILINE)


@dataclass(frozen=True)
class Mutation:
    kind: str
    file: Path
    line: int  # the edited line (1-based): where the typo must be said
    text: str  # the whole file with the typo
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.file.relative_to(ROOT)}:{self.line}  « {self.before.strip()} » → « {self.after.strip()} »"


def _written(value: Fraction) -> str:
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _tokens(text: str):
    """(kind, match) of the code tokens: numbers with their unit and comparison operators."""
    for match in _TOKEN.finditer(text):
        if match.lastgroup in ("number", "unit", "op"):
            yield match


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _line_text(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start:end if end >= 0 else len(text)]


def _in_range_property(text: str, offset: int) -> bool:
    return bool(re.match(r"\s*range\s*:", _line_text(text, offset)))


def _replace(file: Path, text: str, start: int, end: int, new: str, kind: str, line_start: int | None = None):
    mutated = text[:start] + new + text[end:]
    at = line_start if line_start is not None else start
    return Mutation(kind, file, _line_of(text, at), mutated, text[start:end], new)


def literal_mutations(file: Path, text: str):
    """Typos of one number or one operator."""
    for match in _tokens(text):
        start, end = match.span()
        if _in_range_property(text, start):
            continue
        if match.group("op"):
            op = match.group("op")
            strictness = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}
            direction = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}
            if op in strictness:
                yield _replace(file, text, start, end, strictness[op], "flip_strictness")
                yield _replace(file, text, start, end, direction[op], "flip_direction")
            continue
        number = match.group("number")
        unit = match.group("unit") or ""
        value = Fraction(number.replace("_", ""))
        if value == 0:
            continue
        prefix = text[max(0, start - 1):start]
        if prefix.isalnum() or prefix == "_":
            continue  # inside a name
        if unit.strip() == "%":
            yield _replace(file, text, start, end, number, "drop_percent")
            yield _replace(file, text, start, end, _written(value / 100), "percent_as_ratio")
        yield _replace(file, text, start, end, _written(value * 10) + unit, "times_ten")
        yield _replace(file, text, start, end, _written(value / 10) + unit, "divided_by_ten")


def unit_mutations(file: Path, text: str):
    """A parameter's unit changed together with its value: `percent = 20%` → `ratio = 0.2` and back."""
    offset = 0
    for line in text.split("\n"):
        match = _PARAMETER.match(line)
        if match:
            unit, other = match.group("unit"), "ratio" if match.group("unit") == "percent" else "percent"
            values = match.group("value")
            items = re.findall(r"\w+:\s*([^,]+)", values) if values.startswith("{") else [values]
            if all(re.fullmatch(_LITERAL, item.strip()) and item.strip().endswith("%") == (unit == "percent")
                   for item in items) and any(Fraction(n.replace("_", "")) != 0 for n in re.findall(_LITERAL, values)):
                # (0 % and 0 are one value in every unit: no typo there)
                def convert(m):
                    value = Fraction(m.group(1).replace("_", ""))
                    return _written(value / 100) if unit == "percent" else f"{_written(value * 100)}%"
                new_line = (line[:match.start("unit")] + other + line[match.end("unit"):match.start("value")]
                            + re.sub(_LITERAL, convert, values) + line[match.end("value"):])
                yield Mutation("unit_with_value", file, _line_of(text, offset),
                               text[:offset] + new_line + text[offset + len(line):], line, new_line)
        offset += len(line) + 1


def weight_mutations(file: Path, text: str, weights: set[str]):
    """A weight raised past what its envelope pays (doubled; a count that divides, one less), and two
    weights swapped: two weight parameters of one file, or two fields of one weight given by field."""
    found = [m for m in _VALUE.finditer(text) if m.group("name") in weights]
    singles = []
    for m in found:
        literals = list(re.finditer(_LITERAL, m.group("value")))
        divides = m.group("unit") == "count"
        for n in literals:
            value = Fraction(n.group(1).replace("_", ""))
            if value == 0 or (divides and value == 1):
                continue
            start, end = m.start("value") + n.start(1), m.start("value") + n.end(1)
            yield _replace(file, text, start, end, _written(value - 1 if divides else value * 2), "double_weight")
        if len(literals) == 1 and not m.group("value").startswith("{"):
            singles.append((m, literals[0]))
        for a, b in zip(literals, literals[1:]):
            if a.group(0) != b.group(0):
                base = m.start("value")
                mutated = (text[:base + a.start()] + b.group(0) + text[base + a.end():base + b.start()] + a.group(0)
                           + text[base + b.end():])
                yield Mutation("swap_weights", file, _line_of(text, base), mutated, m.group("value"),
                               mutated[base:base + len(m.group("value"))])
    for (a, la), (b, lb) in zip(singles, singles[1:]):
        va, vb = la.group(0), lb.group(0)
        if va == vb:
            continue
        sa, ea = a.start("value") + la.start(), a.start("value") + la.end()
        sb, eb = b.start("value") + lb.start(), b.start("value") + lb.end()
        mutated = text[:sa] + vb + text[ea:sb] + va + text[eb:]
        yield Mutation("swap_weights", file, _line_of(text, sa), mutated,
                       f"{a.group('name')} = {va}, {b.group('name')} = {vb}", f"{a.group('name')} = {vb}, {b.group('name')} = {va}")


def weight_parameters() -> set[str]:
    """The parameters a `weight:` reads, and those named as weights."""
    names = set()
    for file in SPECS.rglob("*.spec"):
        text = file.read_text(encoding="utf-8")
        for expr in re.findall(r"^\s*weight\s*:\s*(.*)$", text, re.MULTILINE):
            names |= set(re.findall(r"[A-Za-z_]\w*", expr))
        names |= set(re.findall(r"^\s*(?:parameter|override)\s+(?:\w+\s+as\s+)?(\w*weight\w*)", text, re.MULTILINE))
    return names


def quantile_mutations(file: Path, text: str, orders: set[str]):
    """A quantile's order out of 0–100 %: the literal in the call, or the parameter it names."""
    for match in re.finditer(r"quantile\(\s*[^,()]+,\s*(?P<order>[^,()]+?)\s*[,)]", text):
        order = match.group("order")
        if re.fullmatch(r"[0-9.]+\s*%?", order):
            for bad in ("130%", "30"):
                yield _replace(file, text, match.start("order"), match.end("order"), bad, "quantile_order")
    for name in orders:
        for match in re.finditer(rf"^\s*(?:parameter|override)\s+{name}\b[^=\n]*=\s*(?P<value>[0-9][0-9_.]*\s*%?)",
                                 text, re.MULTILINE):
            for bad in ("130%", "30"):
                yield _replace(file, text, match.start("value"), match.end("value"), bad, "quantile_order")


def quantile_orders() -> set[str]:
    """The parameters given as a quantile's order in the shipped specs."""
    names = set()
    for file in SPECS.rglob("*.spec"):
        names |= set(re.findall(r"quantile\(\s*[^,()]+,\s*([A-Za-z_]\w*)\s*[,)]", file.read_text(encoding="utf-8")))
    return names


def mutations(kinds=None):
    orders, weights = quantile_orders(), weight_parameters()
    for file in sorted(SPECS.rglob("*.spec")):
        text = file.read_text(encoding="utf-8")
        for makers in (literal_mutations(file, text), unit_mutations(file, text), weight_mutations(file, text, weights),
                       quantile_mutations(file, text, orders)):
            for mutation in makers:
                if kinds is None or mutation.kind in kinds:
                    yield mutation


def verdict(mutation: Mutation) -> tuple[str, list]:
    """« line » (an error or a warning at the edited line), « elsewhere » (said, at other lines) or « silent »."""
    diagnostics = Diagnostics()
    compile_folder(mutation.file.parent, diagnostics, texts={mutation.file.resolve(): mutation.text})
    said = [d for d in diagnostics.items if d.severity in ("error", "warning")]
    target = mutation.file.resolve()
    at_line = [d for d in said if d.span.line == mutation.line and Path(d.span.file).resolve() == target]
    if at_line:
        return "line", at_line
    return ("elsewhere" if said else "silent"), said


def run(kinds=None, sample: int | dict | None = None):
    """{kind: Counter of verdicts}, {kind: [(mutation, verdict, diagnostics)]}; ``sample``: only every n-th
    mutation of each kind (one n, or {kind: n})."""
    counts: dict[str, Counter] = defaultdict(Counter)
    seen: dict[str, list] = defaultdict(list)
    index: Counter = Counter()
    for mutation in mutations(kinds):
        index[mutation.kind] += 1
        step = sample.get(mutation.kind, 1) if isinstance(sample, dict) else sample
        if step and (index[mutation.kind] - 1) % step:
            continue
        result, diagnostics = verdict(mutation)
        counts[mutation.kind][result] += 1
        seen[mutation.kind].append((mutation, result, diagnostics))
    return counts, seen


def table(counts, seen, examples: int = 3) -> str:
    lines = [f"{'classe':<18} {'total':>6} {'à la ligne':>11} {'ailleurs':>9} {'muette':>7}  {'dites %':>8}"]
    totals = Counter()
    for kind in CLASSES:
        c = counts.get(kind)
        if not c:
            continue
        total = sum(c.values())
        totals.update(c)
        lines.append(f"{kind:<18} {total:>6} {c['line']:>11} {c['elsewhere']:>9} {c['silent']:>7}  "
                     f"{100 * c['line'] / total:>7.1f}%")
    total = sum(totals.values())
    if total:
        lines.append(f"{'(toutes)':<18} {total:>6} {totals['line']:>11} {totals['elsewhere']:>9} {totals['silent']:>7}  "
                     f"{100 * totals['line'] / total:>7.1f}%")
    for kind in CLASSES:
        silent = [(m, r) for m, r, _ in seen.get(kind, ()) if r != "line"]
        if silent and examples:
            lines.append(f"\n{kind} — {CLASSES[kind]} — non dites à la ligne (exemples) :")
            lines += [f"  [{r}] {m}" for m, r in silent[:examples]]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--class", dest="kinds", action="append", choices=sorted(CLASSES))
    parser.add_argument("--sample", type=int, default=None, help="only every n-th mutation of each class")
    parser.add_argument("--examples", type=int, default=3)
    args = parser.parse_args(argv)
    started = time.process_time()
    counts, seen = run(set(args.kinds) if args.kinds else None, args.sample)
    print(table(counts, seen, args.examples))
    print(f"\n{sum(sum(c.values()) for c in counts.values())} mutations, "
          f"{time.process_time() - started:.1f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
