"""Where each declaration comes from: its source document and section, and its status
(officiel, hors documents sources, hypothèse, reconduit, non sourcé), and the list of assumptions a page rests on."""

from __future__ import annotations

from qualispec.compiler import french, ir, labels
from qualispec.compiler.fiches.pages import (STATUS_ASSUMPTION, STATUS_CARRIED, STATUS_OFFICIAL, STATUS_OUTSIDE,
                                             STATUS_UNSOURCED, Assumption, Provenance, Source)
from qualispec.compiler.syntax import ast

KIND_ORDER = ("indicator", "curve", "envelope", "parameter", "prerequisite", "group", "input", "category", "campaign")


def source_of(campaign: ir.Campaign, ref: ast.SourceRef | None) -> Source | None:
    if ref is None:
        return None
    doc = campaign.documents.get(ref.document)
    if doc is None:
        return Source(ref.document, ref.document, ref.section)
    return Source(ref.document, doc.label or ref.document, ref.section, doc.texts.get("issuer", ""), doc.texts.get("date", ""))


def is_source_document(campaign: ir.Campaign, name: str) -> bool:
    """One of the source documents: a document the spec declares ``primary: true``."""
    doc = campaign.documents.get(name)
    return isinstance(doc, ir.Document) and doc.primary


def provenance(campaign: ir.Campaign, decl: ir.Decl) -> Provenance:
    if decl.assumption:
        status = STATUS_ASSUMPTION
    elif decl.carried:
        status = STATUS_CARRIED
    elif decl.source is not None:
        status = STATUS_OFFICIAL if is_source_document(campaign, decl.source.document) else STATUS_OUTSIDE
    else:
        status = STATUS_UNSOURCED
    return Provenance(decl.kind, decl.name, labels.decl_words(decl), status, source_of(campaign, decl.source),
                      decl.assumption, decl.carried)


def assumptions(decls) -> tuple[Assumption, ...]:
    """The assumptions and carry-overs of ``decls``, one entry per text, in the order of a fiche."""
    grouped: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for decl in decls:
        for status, text in ((STATUS_ASSUMPTION, decl.assumption), (STATUS_CARRIED, decl.carried)):
            if text:
                key = (decl.kind, status, " ".join(text.split()))
                grouped.setdefault(key, []).append((decl.name, labels.decl_words(decl)))
    ordered = sorted(grouped.items(), key=lambda kv: (KIND_ORDER.index(kv[0][0]) if kv[0][0] in KIND_ORDER else 99,
                                                    kv[1][0][0], kv[0][1]))
    return tuple(Assumption(french.KIND_LABELS.get(kind, kind), tuple(sorted(names, key=lambda n: (n[1].lower(), n[0]))), text, status)
                 for (kind, status, text), names in ordered)
