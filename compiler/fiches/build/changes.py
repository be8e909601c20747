"""What changed in an indicator since the campaign its campaign extends: a summary in words and
one line per rule change (its own, and those of the parameters and inputs it reads)."""

from __future__ import annotations

from qualispec.compiler import ir
from qualispec.compiler.fiches.build.context import CampaignContext
from qualispec.compiler.fiches.pages import ChangeLine


def base_match(ctx: CampaignContext, ind: ir.Indicator) -> str:
    if ctx.base is None:
        return ""
    base = ctx.base.campaign
    if ctx.diff is not None:
        for old, new in ctx.diff.indicator_pairs():
            if new == ind.name:
                return old
    if ind.renamed_from and ind.renamed_from in base.indicators:
        return ind.renamed_from
    return ind.name if ind.name in base.indicators else ""


def changes_since_base(ctx: CampaignContext, ind: ir.Indicator) -> tuple[str, tuple[ChangeLine, ...], str]:
    if ctx.base is None:
        return "", (), ""
    base_name = base_match(ctx, ind)
    how = ctx.c.lineage.get(ind.name, "new")
    base_label = ctx.base.campaign.label or ctx.base.campaign.name
    if not base_name:
        summary = f"Nouvel indicateur : absent de la campagne étendue ({base_label})."
    elif how == "carry":
        summary = f"Reconduit sans changement depuis {base_label} (carry) : {ind.carried}" if ind.carried \
            else f"Reconduit sans changement depuis {base_label}."
    elif how.startswith("renamed:"):
        summary = f"Repris de {base_label} sous le nom {base_name}, renommé et modifié (override … as {ind.name})."
    elif how == "override":
        summary = f"Repris de {base_label} et modifié (override)."
    else:
        summary = f"Hérité de {base_label}."
    lines, rules_changed = [], False
    if ctx.diff is not None and base_name:
        deps = {d.name for d in ctx.dependencies(ind)} - {ind.name}
        deps -= set(ctx.c.groups)  # group changes are on the campaign's groups page
        for ch in ctx.diff.changes:
            subject = ch.subject
            mine = subject == ind.name or subject.startswith(ind.name + ".")
            if not mine and not (subject in deps and ch.section in ("parameters", "inputs", "assumptions")):
                continue
            if ch.section == "indicators" and ch.kind == "renamed":
                continue
            what = ch.what or ch.kind
            if not mine:
                what = f"{what} de {subject}"
            lines.append(ChangeLine(what, ch.old or "—", ch.new or "—", ch.detail, ch.kind == "renamed"))
            rules_changed = rules_changed or ch.section != "assumptions"
    if how == "carry" and rules_changed:
        # its own text is carried, but a parameter or input it reads has changed
        summary = (f"Reconduit depuis {base_label} (carry), mais des règles qu'il lit ont changé (ci-dessous)"
                   + (f" : {ind.carried}" if ind.carried else "."))
    return base_name, tuple(lines), summary
