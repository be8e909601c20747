"""Declarations that came, went or changed name, and what every declaration says in words.

Added, removed and renamed declarations (with how a rename was recognised), the unit,
values and fields of an input, and the texts, assumptions and carry-overs of every
declaration present in both campaigns.
"""

from __future__ import annotations

from qualispec.compiler import french
from qualispec.compiler.diff.changes import KIND_WORDS, SECTION_OF_KIND, ChangeList
from qualispec.compiler.diff.expressions import Comparison, param_text
from qualispec.compiler.diff.matching import norm


def label_of(decl) -> str:
    return norm(getattr(decl, "label", "")) if getattr(decl, "label", "") != decl.name else ""


# ------------------------------------------------------------------ added, removed, renamed
def added_removed_renamed(c: Comparison, out: ChangeList) -> None:
    for decl in c.new.declarations():
        if decl.kind == "campaign" or decl.name in c.backward:
            continue
        out.add(SECTION_OF_KIND.get(decl.kind, "declarations"), "added", decl.name, KIND_WORDS[decl.kind],
                new=_summary(decl), detail=label_of(decl), decl_kind=decl.kind)
    for decl in c.old.declarations():
        if decl.kind == "campaign" or decl.name in c.forward:
            continue
        why = c.new.dropped.get(decl.name, "")
        if decl.name in c.new.out_of_scope:  # not a change of rules: the new documents do not cover it
            out.add("scope", "out_of_scope", decl.name, KIND_WORDS[decl.kind], detail=norm(why), decl_kind=decl.kind)
            continue
        detail = label_of(decl) + (f" — retiré : {norm(why)}" if why else "")
        out.add(SECTION_OF_KIND.get(decl.kind, "declarations"), "removed", decl.name, KIND_WORDS[decl.kind],
                old=_summary(decl), detail=detail, decl_kind=decl.kind)
    for new_name, how in c.how.items():
        old_name = c.backward[new_name]
        kind = c.kind_new[new_name]
        reason = {"lineage": f"déclaré par la nouvelle campagne (override {old_name} as {new_name})",
                  "former_names": "anciens noms déclarés (former_names : "
                                  f"{', '.join(getattr(c.decl('new', new_name), 'former_names', ()) or ()) or old_name})",
                  "label": "même libellé"}.get(how)
        if reason is None and how.startswith("role:"):
            ind, part = how[5:].split(".", 1)
            reason = f"même rôle ({french.PART_LABELS.get(part, part)} de l'indicateur {ind})"
        out.add(SECTION_OF_KIND.get(kind, "declarations"), "renamed", new_name, KIND_WORDS[kind],
                old=old_name, new=new_name, detail=reason or how, decl_kind=kind, matched_by=how)


def unit_said(unit: str | None) -> str:
    """A unit in French words (« pourcentage (%) », « euros (€) »), as the fiches say it."""
    return french.UNIT_WORDS.get(unit, unit) if unit else "non précisée"


def _summary(decl) -> str:
    if decl.kind == "indicator":
        return f"champs : {', '.join(decl.fields) or 'tous'}"
    if decl.kind == "parameter":
        return param_text(decl)
    if decl.kind in ("group", "prerequisite") and decl.when is not None:
        where = f"{decl.field_name} : " if getattr(decl, "field_name", "") else ""
        return where + french.formula(decl.when)
    if decl.kind == "input":  # « pourcentage (%) », « catégorie, valeurs : renseigne, non_renseigne »
        return unit_said(decl.unit) + (f", valeurs : {', '.join(decl.values)}" if decl.values else "")
    return ""


# ------------------------------------------------------------------ inputs
def inputs(c: Comparison, out: ChangeList) -> None:
    for o, n, a, b in c.matched("input", c.old.inputs, c.new.inputs):
        if a.unit != b.unit:
            out.add("inputs", "changed", n, "unité", unit_said(a.unit), unit_said(b.unit), attribute="unit",
                    units=(a.unit, b.unit))
        if set(a.values) != set(b.values):
            out.add("inputs", "changed", n, "valeurs possibles", ", ".join(a.values), ", ".join(b.values),
                    attribute="values")
        fa, fb = c.old.nodes[o].fields, c.new.nodes[n].fields
        if set(fa) != set(fb):
            out.add("inputs", "changed", n, "champs qui la renseignent", ", ".join(fa) or "tous",
                    ", ".join(fb) or "tous", attribute="fields")


# ------------------------------------------------------------------ texts and assumptions
_ASSUMPTION_KEYS = (("assumption", "hypothèse"), ("carried", "reconduction"))


def texts_and_assumptions(c: Comparison, out: ChangeList) -> None:
    for o, n in c.forward.items():
        a, b = c.decl("old", o), c.decl("new", n)
        if a is None or b is None:
            continue
        for key in ("label", "description"):
            if norm(getattr(a, key)) != norm(getattr(b, key)):
                out.add("texts", "text", n, french.TEXT_LABELS[key], norm(getattr(a, key)) or None,
                        norm(getattr(b, key)) or None, key=key, decl_kind=b.kind)
        for key in list(b.texts) + [k for k in a.texts if k not in b.texts]:
            ta, tb = norm(a.texts.get(key, "")), norm(b.texts.get(key, ""))
            if ta != tb:
                out.add("texts", "text", n, french.TEXT_LABELS.get(key, key), ta or None, tb or None,
                        key=key, decl_kind=b.kind)
        for key, word in _ASSUMPTION_KEYS:
            ta, tb = norm(getattr(a, key)), norm(getattr(b, key))
            if ta == tb:
                continue
            kind = "assumption_added" if not ta else "assumption_removed" if not tb else "assumption_changed"
            out.add("assumptions", kind, n, word, ta or None, tb or None, decl_kind=b.kind, key=key)
    for decl in c.new.declarations():
        if decl.name not in c.backward and decl.kind != "campaign":
            for key, word in _ASSUMPTION_KEYS:
                if norm(getattr(decl, key)):
                    out.add("assumptions", "assumption_added", decl.name, word, None, norm(getattr(decl, key)),
                            "nouvelle déclaration", decl_kind=decl.kind, key=key)
    for decl in c.old.declarations():
        if decl.name not in c.forward and decl.kind != "campaign":
            for key, word in _ASSUMPTION_KEYS:
                if norm(getattr(decl, key)):
                    out.add("assumptions", "assumption_removed", decl.name, word, norm(getattr(decl, key)), None,
                            "déclaration retirée", decl_kind=decl.kind, key=key)
