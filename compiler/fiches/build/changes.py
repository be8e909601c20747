"""What changed in an indicator since the campaign its campaign extends: a summary in words and
one line per rule change (its own, and those of the parameters and inputs it reads)."""

from __future__ import annotations

import re

from qualispec.compiler import french, ir, labels
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
    base_ind = ctx.base.campaign.indicators.get(base_name)
    old_words = labels.named(base_ind) if base_ind is not None else base_name
    if not base_name:
        summary = f"Nouvel indicateur : absent de la campagne étendue ({base_label})."
    elif how == "carry":
        summary = f"Reconduit sans changement depuis {base_label} : {ind.carried}" if ind.carried \
            else f"Reconduit sans changement depuis {base_label}."
    elif how.startswith("renamed:"):
        summary = f"Repris de {base_label} sous le nom {old_words}, renommé {labels.named(ind)} et modifié."
    elif how == "override":
        summary = f"Repris de {base_label} et modifié."
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
            renamed = ch.kind == "renamed"
            detail = without_code(ch.detail)
            if renamed and subject not in ctx.c.inputs:
                continue  # a parameter's code name: nothing a reader of the fiche sees (its label says what it is)
            if renamed:  # the column of the data file: what the engineer preparing it must rename
                what = f"colonne du fichier de « {labels.decl_words(ctx.c.inputs[subject])} »"
            elif not mine:
                said = subject_words(ctx, subject)
                what = f"{what} {said}" if what in french.KIND_LABELS.values() else f"{what} de {said}"
                if detail == said.removeprefix("« ").removesuffix(" »"):
                    detail = ""  # the label again
            lines.append(ChangeLine(what, ch.old or "—", ch.new or "—", detail, renamed))
            rules_changed = rules_changed or ch.section != "assumptions"
    if how == "carry" and rules_changed:
        # its own text is carried, but a parameter or input it reads has changed
        summary = (f"Reconduit depuis {base_label}, mais des règles qu'il lit ont changé (ci-dessous)"
                   + (f" : {ind.carried}" if ind.carried else "."))
    return base_name, tuple(lines), summary


def subject_words(ctx: CampaignContext, subject: str) -> str:
    """A declaration a change is about, by its words: « Résultat Num.1 de la campagne précédente (%) »."""
    for campaign in (ctx.c, ctx.base.campaign):
        decl = campaign.inputs.get(subject) or campaign.parameters.get(subject)
        if decl is not None:
            return f"« {labels.decl_words(decl)} »"
        said = labels.node_label(campaign, subject)
        if said != subject:
            return f"« {said} »"
    return subject


_CODE_ASIDE = re.compile(r"\s*\((?:override \w+ as \w+|former_names : [^)]*)\)")


def without_code(detail: str) -> str:
    """A change's detail without the code that made it (« déclaré par la nouvelle campagne (override … as …) »):
    the fiche says it in words."""
    return _CODE_ASIDE.sub("", detail)
