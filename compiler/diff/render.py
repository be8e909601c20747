"""The rule diff written for people (terminal table, Markdown, HTML) and for programs (JSON).

Only formatting here: what changed is decided by :mod:`qualispec.compiler.diff.rules`. The same
change seen in several places (the score formula of every indicator using one curve)
is shown once, with every place it applies to.
"""

from __future__ import annotations

import html
import json
import re
import textwrap

from qualispec.compiler import markdown
from qualispec.compiler.diff.rules import SECTIONS, Change, RuleDiff
from qualispec.compiler.diff.in_words import InWords

KIND_WORDS = {
    "added": "ajouté", "removed": "retiré", "renamed": "renommé", "changed": "modifié", "value": "valeur modifiée",
    "condition": "condition modifiée", "formula": "formule modifiée", "fields": "champs modifiés",
    "part_added": "règle ajoutée", "part_removed": "règle retirée", "text": "texte modifié",
    "assumption_added": "hypothèse ajoutée", "assumption_removed": "hypothèse retirée",
    "assumption_changed": "hypothèse modifiée", "out_of_scope": "hors périmètre",
}
LONG = 220  # characters of a text shown in the terminal before "…"


def grouped(changes) -> list[tuple[tuple[str, ...], Change]]:
    """Changes with the same words (kind, what, old, new, detail) shown once, with all their subjects."""
    out: dict[tuple, list] = {}
    for c in changes:
        key = (c.section, c.kind, c.what, c.old, c.new, c.detail) if c.section in ("formulas", "assumptions", "scope") \
            else (id(c),)
        out.setdefault(key, [c, []])[1].append(c.subject)
    order = {k: i for i, k in enumerate(("renamed", "fields", "changed", "value", "condition", "formula", "part_added",
                                          "part_removed", "added", "removed", "text", "assumption_added",
                                          "assumption_changed", "assumption_removed"))}
    rows = [(tuple(subjects), change) for change, subjects in out.values()]
    return sorted(rows, key=lambda r: order.get(r[1].kind, len(order)))  # stable: declaration order within a kind


def title(d: RuleDiff) -> str:
    """« Comparaison des règles : IFAQ 2022 — tous les indicateurs → IFAQ 2024 — indicateurs numériques »."""
    return f"Comparaison des règles : {d.old_label or d.old} → {d.new_label or d.new}"


def summary(d: RuleDiff) -> str:
    if d.empty:
        return f"Aucune différence de règles entre {d.said_in_prose(d.old)} et {d.said_in_prose(d.new)}."
    counts = [(label, len(d.section(name))) for name, label in SECTIONS if d.section(name)]
    return f"{len(d.changes)} différence{'s' if len(d.changes) > 1 else ''} : " + ", ".join(
        f"{label.split(' (')[0].lower()} {n}" for label, n in counts)


def _short(text: str | None, limit: int | None) -> str:
    if text is None:
        return "—"
    if limit and len(text) > limit:
        cut = text[: limit - 1]
        word = cut.rsplit(" ", 1)[0] if " " in cut[limit // 2:] else cut  # at a word's end, not inside it
        return word.rstrip(" ,;:(«") + "…"
    return text


# ------------------------------------------------------------------ terminal
# The terminal tells the story and leaves the full lists to HTML, Markdown and JSON: in each section the changes
# a reader weighs first (values, rules, formulas before texts), up to SHOWN of them, then « … et N autres ».
SHOWN = {"scope": 3, "indicators": 5, "rules": 6, "parameters": 5, "groups": 5, "prerequisites": 4, "formulas": 4,
         "envelopes": 4, "inputs": 3, "texts": 3, "assumptions": 3, "declarations": 3}
FULL_LIST = "liste entière : --format html, markdown ou json"
NAMES_SHOWN = 4  # subjects of one grouped change named in the terminal
_WEIGHED_FIRST = ("value", "changed", "condition", "formula", "fields", "part_added", "part_removed", "out_of_scope",
                  "added", "removed", "text", "assumption_changed", "assumption_added", "assumption_removed")
_EXACT = ("rules", "parameters", "groups", "prerequisites", "formulas", "envelopes")  # values and formulas uncut
SHORT = 94  # characters of a text, an assumption, a reason, in the terminal's short list
_MAIN = ("scope", "indicators", "rules", "parameters", "groups", "prerequisites", "formulas", "envelopes")


def to_table(d: RuleDiff, width: int = 110, shown: dict[str, int] | None = SHOWN) -> str:
    """The terminal report, in the words of the HTML one: each subject by its French label with its code name in
    parentheses (what an author edits), the prose's code names in words, a rename's two names as written.
    ``shown``: changes shown per section, the rest counted (``None``: every change, in full)."""
    say = prose_said(d)
    lines = [title(d), "=" * min(width, len(title(d))), summary(d)]
    cut = shown is not None and any(len(grouped(d.section(n))) > shown.get(n, 3) or
                                    any(c.kind == "renamed" for c in d.section(n)) for n, _ in SECTIONS)
    if cut:
        lines += textwrap.wrap("Ci-dessous, dans chaque rubrique, les changements qui pèsent le plus (valeurs, règles, "
                               f"formules avant les textes) ; {FULL_LIST}.", width=width)
    for name, label in SECTIONS:
        changes = d.section(name)
        if not changes:
            continue
        lines += ["", f"{label} ({len(changes)})", "-" * min(width, len(label) + 6)]
        rows = grouped(changes)
        if shown is None:
            for subjects, c in rows:
                lines += _entry(d, say, subjects, c, width, LONG if name in ("texts", "assumptions") else None, None)
            continue
        renames = [(s, c) for s, c in rows if c.kind == "renamed"]
        rest = sorted((r for r in rows if r[1].kind != "renamed"),
                      key=lambda r: _WEIGHED_FIRST.index(r[1].kind) if r[1].kind in _WEIGHED_FIRST else len(_WEIGHED_FIRST))
        limit = None if name in _EXACT else LONG if name in _MAIN else SHORT
        told = 0
        for subjects, c in rest[:shown.get(name, 3)]:
            lines += _entry(d, say, subjects, c, width, limit, NAMES_SHOWN)
            told += min(len(subjects), NAMES_SHOWN)
        if renames:
            named = [f"{_short(d.said(c.subject), 60)} ({c.old} → {c.new})" if d.said(c.subject) != c.subject
                     else f"{c.old} → {c.new}" for _, c in renames]
            more = f", … et {len(named) - NAMES_SHOWN} autres" if len(named) > NAMES_SHOWN else ""
            lines += textwrap.wrap(f"• renommé{'s' if len(named) > 1 else ''} ({len(named)}) : "
                                   + ", ".join(named[:NAMES_SHOWN]) + more, width=width, subsequent_indent="  ",
                                   break_on_hyphens=False)
            told += min(len(named), NAMES_SHOWN)
        if len(changes) > told:
            lines.append(f"  … et {len(changes) - told} autre{'s' if len(changes) - told > 1 else ''} ({FULL_LIST})")
    if d.warnings:
        lines += ["", "Non prouvé (signalé par prudence)"] + [f"  {say(w)}" for w in d.warnings]
    return "\n".join(lines)


def _entry(d: RuleDiff, say, subjects, c: Change, width: int, limit: int | None, names_shown: int | None) -> list[str]:
    """One change: its subjects by their words (the first ``names_shown`` of them, the rest counted), what changed,
    before and after (texts cut at ``limit`` characters), its detail."""
    named = [f"{d.said(s)} ({s})" if d.said(s) != s else s for s in subjects]
    names = ", ".join(named if names_shown is None else named[:names_shown])
    if names_shown is not None and len(named) > names_shown:
        names += f" et {len(named) - names_shown} autres"
    what = say(c.what) if c.what and f"{c.what} (".lower() not in names.lower() else ""  # « Num.1 : poids … »
    head = f"• {names} — {KIND_WORDS.get(c.kind, c.kind)}" + (f" ({what})" if what else "")
    lines = textwrap.wrap(head, width=width, subsequent_indent="  ", break_on_hyphens=False)
    if c.kind == "renamed":
        lines.append(f"    {c.old} → {c.new}")
    elif c.old is not None and c.new is not None:
        lines += _wrap("avant : ", _short(say(c.old), limit), width)
        lines += _wrap("après : ", _short(say(c.new), limit), width)
    elif c.new is not None and c.new != "":
        lines += _wrap("", _short(say(c.new), limit), width)
    elif c.old is not None and c.old != "":
        lines += _wrap("", _short(say(c.old), limit), width)
    detail = c.detail
    if names_shown is not None and c.kind in ("added", "removed"):  # its label again (said above): only the why
        detail = "retiré : " + detail.split(" — retiré : ", 1)[1] if " — retiré : " in detail \
            else "" if detail in d.said(c.subject) else detail
    if detail:
        detail_limit = (LONG if c.kind in ("added", "removed") else None) if names_shown is None else SHORT
        lines += _wrap("", _short(say(detail), detail_limit), width)
    return lines


def prose_said(d: RuleDiff):
    """``say(text)``: plain ``text`` with the code names of its prose in words (:class:`in_words.InWords`, the words
    of the HTML report), each rename as the spec writes it (« override d2_2 as num1 ») kept as code."""
    words = InWords(dict(d.prose))

    def say(text: str) -> str:
        pieces, spans = OVERRIDE.split(text), OVERRIDE.findall(text)
        return "".join(words.said(p) + (spans[i] if i < len(spans) else "") for i, p in enumerate(pieces))
    return say


def _wrap(prefix: str, text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent="    " + prefix,
                         subsequent_indent="    " + " " * len(prefix), break_on_hyphens=False) or ["    " + prefix]


# ------------------------------------------------------------------ Markdown
def to_markdown(d: RuleDiff) -> str:
    lines = [f"# {_md(title(d))}", "", f"*{_md(d.old_label or d.old)}* → *{_md(d.new_label or d.new)}*", "",
             _md(summary(d))]
    for name, label in SECTIONS:
        changes = d.section(name)
        if not changes:
            continue
        lines += ["", f"## {label}", "", "| Objet | Changement | Avant | Après | Précisions |", "|---|---|---|---|---|"]
        for subjects, c in grouped(changes):
            what = KIND_WORDS.get(c.kind, c.kind) + (f" ({c.what})" if c.what else "")
            names = ", ".join(_md(d.said(s)) + f" (`{s}`)" if d.said(s) != s else f"`{s}`"
                              for s in subjects)  # by its words; the code name (letters, digits, _) as a hint
            cells = [_md(what)] + [_code(c, x, lambda t: f"`{t}`", _md) for x in (c.old, c.new)]
            lines.append("| " + " | ".join([names] + cells + [md_code(c.detail)]) + " |")
    if d.warnings:
        lines += ["", "## Non prouvé", ""] + [f"- {_md(w)}" for w in d.warnings]
    return "\n".join(lines)


def _md(text: str) -> str:
    return markdown.cell(text or "")


OVERRIDE = re.compile(r"override \w+ as \w+")  # a rename as the spec writes it: code, not prose


def _code(c: Change, text: str | None, code, plain) -> str:
    """A value of a change: the two names of a rename are code names, shown as code; the rest as text."""
    if not text:
        return ""
    return code(text) if c.kind == "renamed" else plain(text)


def md_code(text: str) -> str:
    """``text`` for a Markdown cell, each rename as the spec writes it (« override d2_2 as num1 ») as code."""
    pieces = OVERRIDE.split(text or "")
    spans = OVERRIDE.findall(text or "")
    said = "".join(markdown.escape(p) + (f"`{spans[i]}`" if i < len(spans) else "") for i, p in enumerate(pieces))
    return " ".join(said.split())


# ------------------------------------------------------------------ HTML
def to_html_body(d: RuleDiff, extra: str = "") -> str:
    """The report without page or title, to sit inside another page (the fiches site)."""
    e = html.escape
    parts = [f"<p><em>{e(d.old_label or d.old)}</em> → <em>{e(d.new_label or d.new)}</em></p>", f"<p>{e(summary(d))}</p>"]
    for name, label in SECTIONS:
        changes = d.section(name)
        if not changes:
            continue
        parts.append(f"<h2>{e(label)}</h2><table><tr><th>Objet</th><th>Changement</th><th>Avant</th>"
                     f"<th>Après</th><th>Précisions</th></tr>")
        for subjects, c in grouped(changes):
            what = KIND_WORDS.get(c.kind, c.kind) + (f" ({c.what})" if c.what else "")
            names = ", ".join(f"{e(d.said(s))} <code>{e(s)}</code>" if d.said(s) != s else f"<code>{e(s)}</code>"
                              for s in subjects)  # by its words; the code name as a hint
            parts.append(f"<tr><td>{names}</td><td>{e(what)}</td>"
                         f"<td class=\"old\">{_code(c, c.old, lambda t: f'<code>{e(t)}</code>', e)}</td>"
                         f"<td class=\"new\">{_code(c, c.new, lambda t: f'<code>{e(t)}</code>', e)}</td>"
                         f"<td>{OVERRIDE.sub(lambda m: f'<code>{e(m.group(0))}</code>', e(c.detail))}</td></tr>")
        parts.append("</table>")
    if d.warnings:
        parts.append("<h2>Non prouvé</h2><ul>" + "".join(f"<li>{e(w)}</li>" for w in d.warnings) + "</ul>")
    parts.append(extra)
    return "\n".join(parts)


# ------------------------------------------------------------------ JSON
def to_dict(d: RuleDiff) -> dict:
    return {
        "old": d.old, "new": d.new, "old_label": d.old_label, "new_label": d.new_label,
        "summary": summary(d),
        "changes": [{"section": c.section, "kind": c.kind, "subject": c.subject, "what": c.what, "old": c.old,
                     "new": c.new, "detail": c.detail, "data": _jsonable(dict(c.data))} for c in d.changes],
        "renames": [{"kind": k, "old": o, "new": n} for k, o, n in d.renames if o != n],
        "warnings": list(d.warnings),
    }


def _jsonable(v):
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return str(v)


def to_json(d: RuleDiff, extra: dict | None = None) -> str:
    data = to_dict(d)
    if extra:
        data.update(extra)
    return json.dumps(data, ensure_ascii=False, indent=2)


def render(d: RuleDiff, fmt: str = "table") -> str:
    """The report in a text format; HTML is a page in the site's look (:func:`fiches.report_page.rules_page`)."""
    return {"table": to_table, "markdown": to_markdown, "json": to_json}[fmt](d)
