"""A campaign's page: its indicators by category and field, envelopes, groups, prerequisites and
parameters; and ``build_site``, the page model of every campaign compiled together."""

from __future__ import annotations

from qualispec.compiler import ir
from qualispec.compiler.evaluator import NotConstant, constant
from qualispec.compiler.fiches.build.context import CampaignContext, value_text
from qualispec.compiler.fiches.build.fiche import fiche
from qualispec.compiler.fiches.build.groups import group_inputs, group_tables
from qualispec.compiler.fiches.build.provenance import assumptions, provenance, source_of
from qualispec.compiler.fiches.pages import (CampaignPage, EnvelopeView, IndicatorLine, PrerequisiteView, Rule, Site,
                                             worst)
from qualispec.compiler.pipeline import Compiled


def build_site(compiled: list[Compiled], bases: dict[str, Compiled] | None = None, progress=None,
               proofs: dict[str, bool] | None = None, diffed=None, first: frozenset[str] = frozenset()) -> Site:
    """The page model of every campaign. ``bases``: extended campaigns outside ``compiled``; ``progress`` wraps
    the list of campaigns; ``proofs``: formula equalities already proved, completed by the rule diffs;
    ``diffed(context)`` is called as soon as a campaign's rule diff is known, before the fiches are built; the
    campaigns named in ``first`` are diffed first."""
    by_name = {c.campaign.name: c for c in compiled}
    known = {**(bases or {}), **by_name}
    ordered = sorted(compiled, key=lambda c: (c.campaign.scheme, c.campaign.year or 0, c.campaign.name))
    made: dict[int, CampaignContext] = {}
    for c in sorted(ordered, key=lambda c: c.campaign.name not in first):  # stable: else in page order
        made[id(c)] = CampaignContext(c, known.get(c.campaign.extends or ""), proofs)
        if diffed is not None:
            diffed(made[id(c)])
    contexts = [made[id(c)] for c in ordered]
    pages = [campaign_page(ctx) for ctx in (progress(contexts) if progress else contexts)]
    # the rule diff (its formula proofs are most of the time of docs) is reused by the campaign's « Changements » page
    return Site(tuple(pages), by_name, {ctx.c.name: ctx.diff for ctx in contexts if ctx.diff is not None})


def campaign_page(ctx: CampaignContext) -> CampaignPage:
    """A campaign's page, with the fiche of each of its indicators."""
    c = ctx.c
    fiches = tuple(fiche(ctx, ind) for ind in sorted(c.indicators.values(), key=_indicator_key))
    categories: dict[str, list[IndicatorLine]] = {}
    for f in fiches:
        categories.setdefault(f.category[0], []).append(IndicatorLine(
            f.name, f.label, tuple(code for code, _ in f.fields), dict(f.weights), len(f.assumptions),
            worst(r.status for r in f.rules if r.status)))
    by_category = tuple((code, c.categories[code].label if code in c.categories else (code or "Sans catégorie"),
                         tuple(lines)) for code, lines in sorted(categories.items(), key=lambda kv: _category_key(c, kv[0])))
    base = ctx.base.campaign if ctx.base else None
    lineage_counts: dict[str, int] = {}
    for name, how in c.lineage.items():
        key = how.split(":", 1)[0]
        lineage_counts[key] = lineage_counts.get(key, 0) + 1
    rests_on = assumptions(d for d in c.declarations() if d.kind != "document")
    return CampaignPage(
        name=c.name, label=c.label or c.name, scheme=c.scheme, year=c.year, description=c.description,
        source=source_of(c, c.source), base=c.extends or "", base_label=(base.label if base else ""),
        documents=tuple((d.name, d.label or d.name, d.texts.get("issuer", ""), d.texts.get("date", ""))
                        for d in sorted(c.documents.values(), key=lambda d: d.name)),
        fields=tuple((f, d.label) for f, d in c.field_decls.items()),
        by_category=by_category,
        envelopes=tuple(envelope(ctx, e) for e in sorted(c.envelopes.values(), key=lambda e: e.name)),
        groups=group_tables(ctx),
        group_inputs=group_inputs(ctx),
        prerequisites=tuple(prerequisite(ctx, p) for p in sorted(c.prerequisites.values(), key=lambda p: p.name)),
        parameters=tuple(parameter_rule(ctx, p) for p in sorted(c.parameters.values(), key=lambda p: p.name)),
        dropped=tuple(sorted(c.dropped.items())),
        lineage_counts=dict(sorted(lineage_counts.items())),
        fiches=fiches,
        assumptions=rests_on,
        graph_size=(ctx.graph.number_of_nodes(), ctx.graph.number_of_edges()),
    )


def parameter_rule(ctx: CampaignContext, p: ir.Parameter) -> Rule:
    return Rule(p.name, p.label or p.name, ctx.parameter_value(p), provenance=(provenance(ctx.c, p),),
                detail=p.description, note=plausible_values(ctx, p))


def plausible_values(ctx: CampaignContext, p: ir.Parameter) -> str:
    """What `range:` says, in words: the guard against typos a value is checked against, not a value of
    the documents."""
    if not p.plausible:
        return ""
    low, high = (ctx.parameter_bound(bound, p.unit) for bound in p.plausible)
    if low == high:
        return f"Valeur attendue : {low} (contrôle de saisie : une autre valeur est signalée)"
    return f"Valeurs plausibles : de {low} à {high} (contrôle de saisie : une valeur hors de ces bornes est signalée)"


def prerequisite(ctx: CampaignContext, p: ir.Prerequisite) -> PrerequisiteView:
    users = tuple(sorted(i.name for i in ctx.c.indicators.values() if p.name in i.prerequisites))
    formula = ctx.formula(p.when, None, None, {}) if p.when is not None else None
    return PrerequisiteView(p.name, p.label or p.name, p.description, formula, provenance(ctx.c, p), users)


def envelope(ctx: CampaignContext, e: ir.Envelope) -> EnvelopeView:
    parts = []
    for part, node_id in e.parts:
        node = ctx.c.nodes.get(node_id)
        if node is None or node.expr is None:
            continue
        try:
            value = value_text(constant(ctx.c, node_id), node.unit)
        except NotConstant:
            value = ""
        formula = ctx.formula(node.expr, e.name, part, {})
        provs = tuple(provenance(ctx.c, d) for d in ctx.referenced_decls(node.expr, e.name))
        parts.append(Rule(part, part, value or formula.text, formula, provenance=provs))
    payout = ctx.formula(e.payout, e.name, "rémunération", {}) if e.payout is not None else None
    users = tuple(sorted(i.name for i in ctx.c.indicators.values() if i.envelope == e.name))
    return EnvelopeView(e.name, e.label or e.name, e.description, tuple(parts), payout, e.texts.get("rounding", ""),
                        provenance(ctx.c, e), users)


def _indicator_key(ind: ir.Indicator):
    return ind.span.file.rsplit("/", 1)[-1], ind.span.line, ind.name


def _category_key(c: ir.Campaign, code: str):
    names = list(c.categories)
    return (names.index(code) if code in names else len(names), code)


def find_bases(compiled: list[Compiled], diagnostics) -> dict[str, Compiled]:
    """The extended campaigns that ``compiled`` does not hold (``docs specs/ifaq/2024`` alone)."""
    from qualispec.compiler.diagnostics import Diagnostics
    from qualispec.compiler.pipeline import compile_one

    names = {c.campaign.name for c in compiled}
    found: dict[str, Compiled] = {}
    for c in compiled:
        if c.campaign.extends and c.campaign.extends not in names | set(found) and c.campaign.extends_path:
            base = compile_one(c.campaign.extends_path, Diagnostics())
            if base is not None:
                found[base.campaign.name] = base
    return found
