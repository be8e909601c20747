"""The money diff told as a story: a headline first (what changed, how much money, how many
establishments win and lose), then the attribution of the difference to the rule changes, which
adds up to 100 % with the unexplained rest as its own row, each change said with French labels;
then the detailed tables. The terminal shows the first ``top`` of each list and says how many more
there are, then the rule changes that weigh most in each section; HTML, Markdown and JSON hold every row.
"""

from __future__ import annotations

import html
import json
import re
import textwrap

import polars as pl

from qualispec.compiler import french, labels
from qualispec.compiler.diff import render as diff_render
from qualispec.compiler.diff.rules import RuleDiff
from qualispec.compiler.fiches import report_page
from qualispec.compiler.diff.in_words import InWords
from qualispec.runtime import impact_charts
from qualispec.runtime.impact import METHOD, CasesReport, Impact

REST = "Reste non expliqué (données renommées ou absentes, interactions entre changements)"
CENT = 0.005


HEADERS = {"finess": "FINESS", "field": "champ"}  # the key columns, as a table's header says them

def _eur(v: float) -> str:
    return french.euro(v)


def _signed(v: float) -> str:
    return ("+" if v > 0 else "") + french.euro(v)


def _percent(v: float) -> str:
    return ("+" if v > 0 else "") + f"{french.number(v, 1)} %"


def in_words(label: str, words: dict[str, str]) -> str:
    """A rule change's label with every code name replaced by what a reader calls it."""
    def say(match: re.Match) -> str:
        token = match.group(0)
        return words.get(token) or labels.ENVELOPE_PARTS.get(token, token)
    return re.sub(r"\b[a-z][a-z0-9_]*[a-z0-9]\b", say, label)


# ------------------------------------------------------------------ the story
def scope_warning(impact: Impact, rules: RuleDiff, names_shown: int | None = None) -> list[str]:
    """Said before any total: old indicators the new campaign leaves out of its scope, and what they paid
    (``names_shown``: how many are named, the rest counted; None: all of them)."""
    scope = [c.subject for c in rules.section("scope") if c.get("decl_kind") == "indicator"]
    if not scope:
        return []
    paid = {r["indicator_old"]: r["payout_old"] for r in impact.by_indicator.iter_rows(named=True)}
    n = len(scope)
    named = [impact.words.get(s, s) for s in scope]
    more = f" et {n - names_shown} autres" if names_shown is not None and n > names_shown else ""
    lines = [f"Attention : {n} indicateur{'s' if n > 1 else ''} de {rules.old} hors du périmètre de {rules.new} "
             f"(non comparé{'s' if n > 1 else ''}) : {', '.join(named[:names_shown])}{more}."]
    if impact.pays:
        lines.append(f"  Ils payaient {_eur(sum(paid.get(s, 0.0) for s in scope))} dans {rules.old} : l'écart total en "
                     f"vient d'abord, il ne mesure pas un changement de règles.")
    return lines


def objectives_headline(impact: Impact) -> list[str]:
    lost = sum(o.lost for o in impact.objectives)
    gained = sum(o.gained for o in impact.objectives)
    moved = [o for o in impact.objectives if o.lost or o.gained]
    return [f"En bref : de {impact.old} à {impact.new}, sur {french.plain(impact.rows.height)} lignes (établissement × champ) du "
            f"jeu de données, aucune rémunération (objectifs seulement) ;",
            f"  objectifs : {lost} passent d'atteint à non atteint, {gained} de non atteint à atteint, "
            f"sur {len(moved)} indicateur{'s' if len(moved) > 1 else ''} (de {len(impact.objectives)} comparés)."]


def headline(impact: Impact, rules: RuleDiff, names_shown: int | None = None) -> list[str]:
    """``names_shown``: indicators out of scope named (the terminal's), the rest counted."""
    if not impact.pays:
        return scope_warning(impact, rules, names_shown) + objectives_headline(impact)
    rows = impact.rows
    diff = rows["difference"]
    won, lost = int((diff >= CENT).sum()), int((diff <= -CENT).sum())
    same = rows.height - won - lost
    total = impact.total_new - impact.total_old
    relative = f", {_percent(total / impact.total_old * 100)}" if impact.total_old else ""
    moved = rows.filter(pl.col("group_old").cast(pl.String).fill_null("∅") != pl.col("group_new").cast(pl.String).fill_null("∅"))
    no_longer_paid = rows.filter(pl.col("payout_new").abs() < CENT).filter(pl.col("payout_old").abs() >= CENT).height

    def share(n):
        return f"{french.number(n / rows.height * 100, 1)} %" if rows.height else "—"
    lines = scope_warning(impact, rules, names_shown) + [
        f"En bref : de {impact.old} à {impact.new}, sur {french.plain(rows.height)} lignes (établissement × champ) du jeu de données,",
        f"  la rémunération totale passe de {_eur(impact.total_old)} à {_eur(impact.total_new)} "
        f"({_signed(total)}{relative}).",
        f"  {french.plain(won)} gagnent ({share(won)}), {french.plain(lost)} perdent ({share(lost)}), {french.plain(same)} inchangées "
        f"({share(same)}) ; {french.plain(moved.height)} changent de groupe ; {french.plain(no_longer_paid)} payées avant ne le sont plus (0 €).",
        f"  Règles : {diff_render.summary(rules)}",
    ]
    effects = [e for e in impact.effects if abs(e.net) >= CENT]
    if effects and total:
        first = max(effects, key=lambda e: abs(e.net))
        part = first.net / total * 100
        # A share of the gap above 100 % or below 0 reads as a mistake: say instead that others pull the other way.
        weight = f"{french.number(part, 1)} % de l'écart" if 0 < part <= 100 else \
            "plus que l'écart total : d'autres changements jouent en sens inverse"
        lines.append(f"  Le changement qui pèse le plus : {in_words(first.label, impact.words)} "
                     f"({_signed(first.net)}, {weight}).")
    return lines


def attribution_steps(impact: Impact, rules: RuleDiff | None = None) -> tuple[list[tuple[str, float, str, str]], float, int]:
    """(French label, net effect, sum of absolute moves, rows touched) of each change, largest first, then
    what indicators removed, out of scope or added paid; the unexplained rest; changes without effect.
    ``rules``: the campaigns' short names (« la campagne IFAQ 2024 »), for a label that fits a table's cell."""
    old, new = (f"la campagne {rules.old_short}", f"la campagne {rules.new_short}") \
        if rules is not None and rules.old_short else (impact.old, impact.new)
    total = impact.total_new - impact.total_old
    effects = sorted((e for e in impact.effects if abs(e.net) >= CENT or e.establishments),
                     key=lambda e: -abs(e.net))
    silent = len(impact.effects) - len(effects)
    lines = [(in_words(e.label, impact.words), e.net, _eur(e.moved), str(e.establishments)) for e in effects]
    by = impact.by_indicator
    scope = pl.col("indicator_old").is_in(list(impact.out_of_scope))
    for side, column, words, which in (("indicator_new", "payout_old", f"hors du périmètre de {new}", scope),
                                       ("indicator_new", "payout_old", "retirés", ~scope),
                                       ("indicator_old", "payout_new", "ajoutés", pl.lit(True))):
        alone = by.filter((pl.col(side).fill_null("") == "") & which)
        if alone.height:
            amount = float(alone[column].sum()) * (-1 if column == "payout_old" else 1)
            when = old if column == "payout_old" else new
            lines.append((f"Indicateurs {words} ({alone.height}) : ce qu'ils payaient dans {when}", round(amount, 2), "", ""))
    rest = round(total - sum(net for _, net, _, _ in lines), 2)
    return lines, rest, silent


def attribution(impact: Impact, rules: RuleDiff | None = None) -> tuple[list[str], list[list[str]]]:
    """Each change's net effect as a share of the total difference, then the rest: 100 % in all."""
    total = impact.total_new - impact.total_old
    header = ["changement", "effet net", "part de l'écart", "somme des écarts absolus", "lignes touchées"]
    lines, rest, silent = attribution_steps(impact, rules)
    shares = [round(net / total * 100, 1) if total else 0.0 for _, net, _, _ in lines]
    rows = [[label, _signed(net), f"{french.number(s, 1)} %", moved, touched]
            for (label, net, moved, touched), s in zip(lines, shares)]
    rows.append([REST, _signed(rest), f"{french.number(round(100.0 - sum(shares), 1) if total else 0.0, 1)} %",
                 "", ""])
    rows.append(["Total", _signed(total), "100,0 %" if total else "0,0 %", "", str(int((impact.rows["difference"].abs() >= CENT).sum()))])
    if silent:
        rows.append([f"({silent} autre{'s' if silent > 1 else ''} changement{'s' if silent > 1 else ''} sans effet "
                     f"sur ce jeu de données)", "", "", "", ""])
    return header, rows


def charts(impact: Impact, rules: RuleDiff | None = None) -> dict[str, str]:
    """The report's pictures, file name → SVG: the attribution's waterfall, the distribution of gains and
    losses, the difference per group (none for schemes that do not pay). ``rules``: their code names (campaigns,
    indicators) said in words."""
    if not impact.pays:
        return {}
    say = InWords(rules.prose).said if rules is not None else str
    old, new = say(impact.old), say(impact.new)
    lines, rest, _ = attribution_steps(impact, rules)
    lines = [(say(label), net, moved, touched) for label, net, moved, touched in lines]
    g = impact.by_group
    def group_words(r) -> str:  # « MCO-4 », « HAD » (field and group name alike), « PSY : aucun groupe »
        group, field = str(r["group"] or "aucun groupe"), r.get("field") or ""
        return group if not field or group.startswith(field) else f"{field} : {group}"
    group_rows = [(group_words(r), float(r["difference"])) for r in g.iter_rows(named=True)]
    return {
        "ecart-attribution.svg": impact_charts.waterfall(old, new, impact.total_old,
                                                         [(label, net) for label, net, _, _ in lines], (REST, rest),
                                                         impact.total_new),
        "ecart-distribution.svg": impact_charts.distribution(old, new,
                                                             [float(d) for d in impact.rows["difference"]]),
        "ecart-groupes.svg": impact_charts.groups(old, new, group_rows),
    }


def objectives_section(impact: Impact, old: str, new: str) -> list[tuple[str, list[str], list[list[str]], int]]:
    """Per indicator in both campaigns: rows meeting its objective on each side, and the moves between; ``old``,
    ``new``: the campaigns in the headers (« IFAQ 2022 »)."""
    if not impact.objectives:
        return []
    header = [f"indicateur {old}", f"indicateur {new}", f"atteint {old}", f"atteint {new}",
              "atteint → non atteint", "non atteint → atteint"]
    return [("Objectifs (lignes établissement × champ)", header,
             [[impact.words.get(o.indicator_old, o.indicator_old), impact.words.get(o.indicator_new, o.indicator_new),
               str(o.met_old), str(o.met_new), str(o.lost), str(o.gained)] for o in impact.objectives], 0)]


def impact_sections(impact: Impact, limit: int | None, rules: RuleDiff) -> list[tuple[str, list[str], list[list[str]], int]]:
    """(title, header, rows, rows left out) tables; ``limit``: rows per list (None: every row); ``rules``: the
    campaigns' short names for the headers (« IFAQ 2022 ») and the words of the labels.
    The first table is the attribution (or, for schemes that do not pay, the objectives)."""
    old, new = rules.old_short or impact.old, rules.new_short or impact.new
    if not impact.pays:
        return objectives_section(impact, old, new)
    rows = impact.rows
    keys = ["finess"] + (["field"] if "field" in rows.columns else [])
    sections = [("Ce qui explique l'écart (chaque changement annulé seul ; le total fait 100 %)",
                 *attribution(impact, rules), 0)]

    def people(frame):
        return [[*(str(r[k]) for k in keys), str(r["group_old"] or "—"), str(r["group_new"] or "—"),
                 _eur(r["payout_old"]), _eur(r["payout_new"]), _signed(r["difference"])] for r in frame.iter_rows(named=True)]

    def cut(frame):
        shown = frame if limit is None else frame.head(limit)
        return people(shown), frame.height - shown.height

    header = [HEADERS[k] for k in keys] + [f"groupe {old}", f"groupe {new}", old, new, "écart"]
    winners = rows.filter(pl.col("difference") >= CENT).sort(["difference", *keys], descending=[True] + [False] * len(keys))
    losers = rows.filter(pl.col("difference") <= -CENT).sort(["difference", *keys])
    moved = rows.filter(pl.col("group_old").cast(pl.String).fill_null("∅") != pl.col("group_new").cast(pl.String).fill_null("∅"))
    sections.append((f"Qui gagne ({winners.height}), du plus grand gain au plus petit", header, *cut(winners)))
    sections.append((f"Qui perd ({losers.height}), de la plus grande perte à la plus petite", header, *cut(losers)))
    sections.append((f"Établissements qui changent de groupe ({moved.height})", header, *cut(moved.sort(keys))))
    g = impact.by_group
    gk = ["field"] if "field" in g.columns else []
    sections.append(("Par groupe de comparaison", [HEADERS[k] for k in gk] + ["groupe", old, new, "écart", "arrivés d'un autre groupe"],
                     [[*(str(r[k]) for k in gk), str(r["group"] or "aucun groupe"), _eur(r["payout_old"]),
                       _eur(r["payout_new"]), _signed(r["difference"]), str(r["arrived"])] for r in g.iter_rows(named=True)], 0))
    sections.append(("Par indicateur (indicateurs renommés appariés)", [old, new, old, new, "écart"],
                     [[impact.words.get(r["indicator_old"] or "", r["indicator_old"] or "—"),
                       impact.words.get(r["indicator_new"] or "", r["indicator_new"] or "—"), _eur(r["payout_old"]),
                       _eur(r["payout_new"]), _signed(r["difference"])] for r in impact.by_indicator.iter_rows(named=True)], 0))
    return sections + objectives_section(impact, old, new)


def cases_sections(report: CasesReport, rules: RuleDiff) -> list[tuple[str, list[str], list[list[str]], int]]:
    """The cases of the old campaign run under the new one; the campaigns by their words in the titles, by their
    short names in the headers."""
    old, new = rules.said_in_prose(rules.old), rules.said_in_prose(rules.new)
    rows = [[c.file, c.case, c.finess, c.column, c.old, c.new] for c in report.changes]
    out = [(f"Cas de {old} rejoués sous {new} : {report.ran} cas, {len({(c.file, c.case) for c in report.changes})} "
            f"dont le résultat change", ["fichier", "cas", "finess", "sortie", rules.old_short or rules.old,
                                         rules.new_short or rules.new], rows, 0)]
    if report.failed_new:
        out.append((f"Cas qui ne peuvent pas tourner sous {new}", ["cas"], [[f] for f in report.failed_new], 0))
    return out


# ------------------------------------------------------------------ formats
def _table_text(title: str, header: list[str], rows: list[list[str]], left_out: int) -> str:
    if not rows:
        return f"{title}\n{'-' * min(len(title), 100)}\n(aucun)"
    widths = [min(110, max(len(str(x)) for x in col)) for col in zip(header, *rows)]
    fmt = lambda r: "  ".join(str(x)[:110].ljust(w) for x, w in zip(r, widths)).rstrip()  # noqa: E731
    lines = [title, "-" * min(len(title), 100), fmt(header)] + [fmt(r) for r in rows]
    if left_out:
        lines.append(f"… et {left_out} de plus (la liste entière : --format html, markdown ou json)")
    return "\n".join(lines)


def render_all(rules: RuleDiff, impact: Impact | None, cases: CasesReport | None, fmt: str, site: str = "") -> str:
    """The report in ``fmt``; ``site``: the fiches' address, linked from the HTML page."""
    limit = impact.top if impact is not None and fmt == "table" else None
    sections, notes, story = [], [], []
    first = 0  # how many sections are told with the headline, before the rule diff
    method = impact is not None and impact.pays
    say = diff_render.prose_said(rules)  # the campaigns and the labels' code names in words, in every format
    if impact is not None:
        story = [say(line) for line in headline(impact, rules, diff_render.NAMES_SHOWN if fmt == "table" else None)]
        sections += impact_sections(impact, limit, rules)
        first = min(1, len(sections))
        notes += [say(note) for note in impact.notes]
    if cases is not None:
        sections += cases_sections(cases, rules)
        notes += [say(note) for note in cases.notes]
    if fmt == "json":
        extra = {}
        if impact is not None:
            extra["objectives"] = [o.__dict__ for o in impact.objectives]
        if impact is not None and impact.pays:
            header, rows = attribution(impact, rules)
            extra["payouts"] = {
                "headline": " ".join(line.strip() for line in story),
                "method": METHOD, "total_old": round(impact.total_old, 2), "total_new": round(impact.total_new, 2),
                "attribution": [dict(zip(header, r)) for r in rows],
                "rows": impact.rows.to_dicts(), "by_group": impact.by_group.to_dicts(),
                "by_indicator": impact.by_indicator.to_dicts(),
                "effects": [{**e.__dict__, "label_fr": in_words(e.label, impact.words)} for e in impact.effects],
                "notes": list(impact.notes)}
        if cases is not None:
            extra["cases"] = {"ran": cases.ran, "changes": [c.__dict__ for c in cases.changes],
                              "failed_new": cases.failed_new, "notes": cases.notes}
        return diff_render.to_json(rules, extra)
    if fmt == "html":
        e = html.escape

        def table(title, header, rows):
            return (f"<h2>{e(title)}</h2><table><tr>{''.join(f'<th>{e(h)}</th>' for h in header)}</tr>"
                    + "".join("<tr>" + "".join(f"<td>{e(str(x))}</td>" for x in r) + "</tr>" for r in rows) + "</table>")
        lead = [f"<section class=\"headline\"><p class=\"lead\">{'<br>'.join(e(line.strip()) for line in story)}</p></section>"] \
            if story else []
        pictures = charts(impact, rules) if impact is not None else {}
        if pictures:
            lead.append("<h2>En images</h2>" + "".join(f'<figure class="chart">{svg}</figure>' for svg in pictures.values()))
        lead += [table(title, header, rows) for title, header, rows, _ in sections[:first]]
        parts = [table(title, header, rows) for title, header, rows, _ in sections[first:]]
        if method:
            parts.append(f"<p>{e(METHOD)}</p>")
        if notes:
            parts.append("<ul>" + "".join(f"<li>{e(n)}</li>" for n in notes) + "</ul>")
        body = "\n".join(lead + [diff_render.to_html_body(rules, "\n".join(parts))])
        return InWords(rules.prose).page(report_page.page(diff_render.title(rules), body, site))  # codes in words
    if fmt == "markdown":
        parts = ["\n".join(f"> {line.strip()}" for line in story), ""] if story else []
        parts.append(diff_render.to_markdown(rules))
        for title, header, rows, _ in sections:
            parts += ["", f"## {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            parts += ["| " + " | ".join(str(x).replace("|", "\\|") for x in r) + " |" for r in rows]
        if method:
            parts += ["", METHOD]
        if notes:
            parts += [""] + [f"- {n}" for n in notes]
        return InWords(rules.prose).markdown("\n".join(parts))  # code names in words, code spans kept
    parts = ["\n".join(story), ""] if story else []  # the terminal: the money first, then the rules, in short
    for title, header, rows, left_out in sections:
        parts += [_table_text(title, header, rows, left_out), ""]
    if method:
        parts += ["\n".join(textwrap.wrap(METHOD, 110)), ""]
    if notes:
        parts += ["Notes :"] + [f"  {n}" for n in notes] + [""]
    parts.append(diff_render.to_table(rules))
    return "\n".join(parts)


def to_json_text(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)
