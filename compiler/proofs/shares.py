"""A whole shared by a count of indicators: the count must be the number of indicators sharing it.

IFAQ 2022 shares what the digital pair leaves in a field equally between the field's other
indicators: each weighs « (100% - digital_share) / other_indicator_count ». Nine MCO indicators write
that formula; with the count typed 8 they weigh 9 × 83 % / 8 = 93,4 % (the envelope overpays), typed 10
they weigh 74,7 % and an establishment paid on all of them gets 8,3 % of its share less, which no proof
of overpayment sees. Whenever indicators paid by one envelope write one formula word for word that
divides by a count parameter, the count given for each field is compared with the number of those
indicators the field has, and a difference is said at the count's value for that field.
"""

from __future__ import annotations

from collections import defaultdict

from qualispec.compiler import ir, messages
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.proofs.blame import _shape
from qualispec.compiler.syntax import ast
from qualispec.compiler.syntax.ast import signed_number


def check_shares(campaign: ir.Campaign, diagnostics: Diagnostics) -> None:
    said = set()
    for envelope in campaign.envelopes.values():
        paid = [ind for ind in campaign.indicators.values() if ind.envelope == envelope.name and ind.part("weight")]
        for field_name in list(campaign.field_decls) or [None]:
            alike = defaultdict(list)
            for ind in paid:
                if field_name is None or not ind.fields or field_name in ind.fields:
                    expr = campaign.nodes[ind.part("weight")].expr
                    alike[_shape(expr, {})].append((ind, expr))
            for members in alike.values():
                _compare(campaign, envelope, field_name, members, said, diagnostics)


def _compare(campaign, envelope, field_name, members, said, diagnostics) -> None:
    expr = members[0][1]
    if not (isinstance(expr, ast.Binary) and expr.op == "/" and isinstance(expr.right, ast.Ref)):
        return
    parameter = campaign.parameters.get(expr.right.target or "")
    if parameter is None or parameter.unit != "count":
        return
    values = dict(parameter.values)
    written = values.get(field_name) if parameter.values else parameter.value
    number = signed_number(written) if written is not None else None
    if number is None or number.value == len(members) or number.value == 0:  # 0: said as a division by zero
        return
    if number.span.place in said:
        return
    said.add(number.span.place)
    names = ", ".join(ind.short_name for ind, _ in members)
    diagnostics.warning("check.share_count", number.span, name=parameter.name, value=str(number.value),
                        where=messages.word("phrase.for_key", key=field_name) if field_name else "",
                        count=len(members), envelope=envelope.name, indicators=names)
