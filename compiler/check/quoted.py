"""A value against the texts that cite it: « 20% des économies générées » and `ipp_rate = 2%`.

Most parameters quote their document (label, description, source, note): « Cible HOP'EN : 60% des
correspondants… », « fixe enveloppe nationale = 12,5 millions d'€ », « (1% du montant reçu de l'AM) »,
« supérieur à 10 000 euros ».
When those texts give percentages (or amounts in euro) and the parameter's value, in the same unit, is
none of them, a digit was probably lost or added: the author is told at the value. A count, a
number of days or a plain number is read against the numbers quoted between « » only (« au moins
100 patients »), years left aside: the author's own words around a quotation hold references (L602). A parameter whose
value is the author's reading rather than the document's says so with `assumption:` and is not
judged against the documents; nor is a value of 0 (« pas de seuil » is seldom written « 0 % »). A working
value the assumption states itself, as its one figure (« Valeur de travail, non officielle : 50 % »), is
the value meant: 5 % typed for it is said at its line.
"""

from __future__ import annotations

import re
from fractions import Fraction

from qualispec.compiler import french, ir, messages
from qualispec.compiler.check.typos import written
from qualispec.compiler.syntax.ast import signed_number

_SPACE = "[ \u00a0\u202f]"
_NUMBER = rf"(\d{{1,3}}(?:{_SPACE}\d{{3}})+|\d+)(?:[,.](\d+))?"  # 10 000 ; 12,5 ; 0.01
_PERCENT = re.compile(rf"(?<![\d,.]){_NUMBER}{_SPACE}?%")
# « 100 000 euros », « 12,5 millions d'€ », « 12,5 millions d'euros » are amounts as « 100 000 € » is
_EUROS = re.compile(rf"(?<![\d,.]){_NUMBER}{_SPACE}?(Md€|M€|k€|€|euros?\b|millions? d.(?:€|euros?\b)|milliards? d.(?:€|euros?\b))")
_SCALE = {"Md€": 10 ** 9, "M€": 10 ** 6, "k€": 10 ** 3, "€": 1}
QUOTATION = re.compile(r"«([^»]*)»")
# a plain number inside a quotation: not a percentage, an amount, a reference (L602) or a year
_PLAIN = re.compile(rf"(?<![\w,.]){_NUMBER}(?![\d,.]*{_SPACE}?(?:%|€|M€|k€|Md€))(?![\w])")
PLAIN_UNITS = ("count", "number", "days")
QUOTING = ("label", "description", "note")  # and the source's section


def _number(whole: str, decimals: str) -> Fraction:
    return Fraction(re.sub(_SPACE, "", whole) + ("." + decimals if decimals else ""))


def quoted_values(texts, unit: str) -> set[Fraction]:
    """The percentages (as ratios) or the amounts in euro the texts write."""
    found: set[Fraction] = set()
    for text in texts:
        if unit in PLAIN_UNITS:  # only what the document says, between « », not the author's words around it
            found |= {v for quote in QUOTATION.findall(text) for w, d in _PLAIN.findall(quote)
                      if not 1900 <= (v := _number(w, d)) <= 2100}
        elif unit == "percent":
            found |= {_number(w, d) / 100 for w, d in _PERCENT.findall(text)}
        elif unit == "euro":
            for w, d, scale in _EUROS.findall(text):
                factor = _SCALE.get(scale, 10 ** 9 if scale.startswith("milliard")
                                    else 10 ** 6 if scale.startswith("million") else 1)
                found.add(_number(w, d) * factor)
    return found


class Quoted:
    """Checks mixed into the Checker (see checker.py), once the campaign is built."""

    def _check_quoted_values(self, campaign: ir.Campaign) -> None:
        said = self.d.places()  # a range, a sign: said once
        for name, parameter in campaign.parameters.items():
            texts = [getattr(parameter, key, "") or parameter.texts.get(key, "") for key in QUOTING]
            texts.append(parameter.source.section if parameter.source else "")
            if parameter.unit == "ratio":
                self._check_ratio_quoted_as_percent(name, parameter, texts + [parameter.assumption or ""], said)
                if not parameter.assumption:  # « Indicateur DMP valorisé à 0,25 »: 0.75 typed for it is said
                    self._warn_unquoted(name, parameter, [("", parameter.value)] + list(parameter.values),
                                        {v for v in quoted_values(texts, "number") if 0 < v <= 1}, said)
                continue
            if parameter.unit not in ("percent", "euro") + PLAIN_UNITS:
                continue
            if parameter.assumption:
                self._check_assumed_value(name, parameter, said)
                continue
            self._warn_unquoted(name, parameter, [("", parameter.value)] + list(parameter.values),
                                quoted_values(texts, parameter.unit), said)

    def _warn_unquoted(self, name: str, parameter: ir.Parameter, values, quoted: set, said: set) -> None:
        """Each (key, value) written that none of the ``quoted`` values gives (none quoted: nothing judged)."""
        for key, expr in values if quoted else ():
            number = _written(expr, parameter, said)
            if number is None or number.value == 0 or number.value in quoted:
                continue
            self.d.warning("check.value_not_quoted", number.span, name=name,
                           value=french.literal(number.value, parameter.unit),
                           where=messages.word("phrase.for_key", key=key) if key else "",
                           quoted=", ".join(french.literal(v, parameter.unit) for v in sorted(quoted)))

    def _check_ratio_quoted_as_percent(self, name: str, parameter: ir.Parameter, texts: list[str], said: set) -> None:
        """A ratio whose texts write its value as a percentage (`ipp_rate: ratio = 0.2` where they say « 20 % »):
        the unit was changed with the value. The money is the same today, but the parameter no longer reads as
        its documents and meets the percentages it is compared with or added to as another unit."""
        quoted = quoted_values(texts, "percent")
        for key, expr in [("", parameter.value)] + list(parameter.values):
            number = signed_number(expr) if expr is not None else None
            if number is None or number.unit is not None or number.value == 0 or number.value not in quoted \
                    or number.span.place in said:
                continue
            self.d.warning("check.ratio_quoted_as_percent", number.span, name=name,
                           value=french.literal(number.value, "ratio"), where=messages.word("phrase.for_key", key=key) if key else "",
                           quoted=french.literal(number.value, "percent"), written=f"{written(number.value * 100)} %")

    def _check_assumed_value(self, name: str, parameter: ir.Parameter, said: set) -> None:
        """A working value the author states in its own assumption (« Valeur de travail, non officielle :
        50 % »), typed otherwise (5 %): the one figure the assumption writes is the value meant. An assumption
        that writes several figures (worked examples, other readings) or a declared range decide nothing here."""
        if parameter.values and parameter.unit not in PLAIN_UNITS:
            self._check_assumed_by_field(name, parameter, said)
            return
        if parameter.plausible or parameter.unit in PLAIN_UNITS:
            return
        stated = quoted_values([parameter.assumption], parameter.unit)
        number = _written(parameter.value, parameter, said)
        if len(stated) != 1 or number is None or number.value in stated:
            return
        self.d.warning("check.value_not_as_assumed", number.span, name=name,
                       value=french.literal(number.value, parameter.unit),
                       stated=french.literal(next(iter(stated)), parameter.unit))


    def _check_assumed_by_field(self, name: str, parameter: ir.Parameter, said: set) -> None:
        """A value by field whose assumption reads some fields itself (« environ 17 % » pris à 17 % ; PSY :
        1/7, 14,29 %): each field's value is one the texts or the assumption write, when both write some
        (MCO 34 % typed for 17 % is said at its line). Which field takes which is not read from the words."""
        texts = [getattr(parameter, key, "") or parameter.texts.get(key, "") for key in QUOTING]
        texts.append(parameter.source.section if parameter.source else "")
        quoted, stated = quoted_values(texts, parameter.unit), quoted_values([parameter.assumption], parameter.unit)
        if quoted and stated:
            self._warn_unquoted(name, parameter, parameter.values, quoted | stated, said)


def _written(expr, parameter: ir.Parameter, said: set):
    """The number written for ``parameter`` (``expr``) when it is to be read against texts: a number in the
    parameter's unit, not already said at its place, and not a percentage outside 0–100 % (said after, by
    proofs/reach.py); else None."""
    number = signed_number(expr) if expr is not None else None
    if number is None or number.unit not in (parameter.unit, None) or number.span.place in said \
            or (parameter.unit == "percent" and not 0 <= number.value <= 1):
        return None
    return number
