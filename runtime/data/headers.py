"""The results' columns as a reader of a spreadsheet names them: a French header with its unit
(« Num.1 — score (%) »), and the unit that decides the cell's number format (% or €)."""

from __future__ import annotations

from dataclasses import dataclass

from qualispec.compiler import french, ir

UNIT_SUFFIX = {"percent": "%", "euro": "€", "days": "jours", "count": "nombre", "ratio": "ratio", "boolean": "oui/non"}
FIXED = {"finess": "FINESS", "field": "Champ", "group": "Groupe de comparaison",
         "total_payout": "Rémunération totale (€)"}


@dataclass(frozen=True)
class Header:
    column: str
    title: str
    unit: str | None


def french_headers(campaign: ir.Campaign, outputs, columns: list[str]) -> list[Header]:
    """One header per column of the results, in their order (``outputs``: the plan's output columns, with
    their indicator, part and unit); a column we do not know keeps its name."""
    outputs = {out.name: out for out in outputs}
    headers = []
    for column in columns:
        out = outputs.get(column)
        if column in FIXED:
            headers.append(Header(column, FIXED[column], "euro" if column == "total_payout" else None))
        elif out is not None and out.indicator:
            indicator = campaign.indicators.get(out.indicator)
            name = indicator.short_name if indicator is not None else out.indicator
            suffix = UNIT_SUFFIX.get(out.unit or "")
            part = campaign.let_label(f"{out.indicator}.{out.part}") or french.PART_LABELS.get(out.part, out.part)
            title = f"{name} — {part}" + (f" ({suffix})" if suffix else "")
            headers.append(Header(column, title, out.unit))
        elif column.endswith("_status"):
            indicator = campaign.indicators.get(column[:-len("_status")]) or next(
                (i for i in campaign.indicators.values() if i.name.lower() == column[:-len("_status")]), None)
            headers.append(Header(column, f"{indicator.short_name if indicator else column[:-7]} — statut", None))
        else:
            headers.append(Header(column, column, None))
    return _unique(headers)


GROUP_FIXED = {"group": ("Groupe de comparaison", None), "field": ("Champ", None),
               "establishments": ("Établissements (nombre)", "count"),
               "envelope": ("Enveloppe du groupe (€)", "euro"), "paid": ("Versé sur l'enveloppe du groupe (€)", "euro"),
               "share_paid": ("Part de l'enveloppe versée (%)", "percent")}


def group_headers(campaign: ir.Campaign | None, columns: list[str]) -> list[Header]:
    """The headers of the per-group summary (the XLSX « groupes » sheet): ``paid_<envelope>`` is what an
    envelope shared nationally pays in the group, named by the envelope's label."""
    headers = []
    for column in columns:
        if column in GROUP_FIXED:
            title, unit = GROUP_FIXED[column]
            headers.append(Header(column, "Versé (€)" if column == "paid" and "envelope" not in columns else title,
                                  unit))
        elif column.startswith("paid_"):
            envelope = campaign.envelopes.get(column[5:]) if campaign is not None else None
            name = (envelope.label or envelope.name) if envelope is not None else column[5:]
            headers.append(Header(column, f"Versé — {name} (€)", "euro"))
        else:
            headers.append(Header(column, column, None))
    return _unique(headers)


def _unique(headers: list[Header]) -> list[Header]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        seen[h.title] = seen.get(h.title, 0) + 1
        out.append(h if seen[h.title] == 1 else Header(h.column, f"{h.title} [{h.column}]", h.unit))
    return out
