"""The words of every diagnostic, in French for authors and in English on request.

A message is a *code* (``"syntax.decimal_comma"``) with named arguments; each language
has a catalog (``fr.py``, ``en.py``) mapping the code to a message template and a hint
template. The compiler never writes a sentence itself: it calls
``diagnostics.error("code", span, name=…)`` and the text comes from the catalog of the
language in force: ``set_language("en")``, the ``QUALISPEC_LANG`` environment variable,
or French by default.

Templates are ``str.format`` strings with two extra format specs for declaration kinds:
``{kind:un}`` → « un indicateur » / "an indicator", ``{kind:le}`` → « l'indicateur » /
"the indicator", ``{kind:nom}`` → « indicateur » / "indicator"; ``{unit:unite}`` → the unit as
written in specs, a bare number in words; and one for counts: ``{n:pl(erreur,erreurs)}`` → « 1 erreur », « 3 erreurs »
(0 is singular in French, plural in English).
"""

from __future__ import annotations

import os
import string

from qualispec.compiler.messages import en, fr

CATALOGS = {"fr": fr, "en": en}
_chosen: str | None = None


def set_language(lang: str | None) -> None:
    """Choose the language of the messages (``fr`` or ``en``); None goes back to the default."""
    global _chosen
    if lang is not None and lang not in CATALOGS:
        raise ValueError(f"unknown language {lang!r}: one of {', '.join(CATALOGS)}")
    _chosen = lang


def language() -> str:
    if _chosen:
        return _chosen
    env = os.environ.get("QUALISPEC_LANG", "").lower()[:2]
    return env if env in CATALOGS else "fr"


def known(code: str) -> bool:
    return code in fr.MESSAGES


class _Formatter(string.Formatter):
    def __init__(self, catalog):
        self.catalog = catalog

    def format_field(self, value, spec):
        if spec.startswith("pl(") and spec.endswith(")"):  # {n:pl(erreur,erreurs)} → « 3 erreurs »
            one, many = spec[3:-1].split(",")
            singular = value == 1 or (value == 0 and self.catalog.ZERO_IS_SINGULAR)
            return f"{value} {one if singular else many}"
        if spec in ("un", "nom", "le"):
            noun, article, definite = self.catalog.kind(str(value))
            return {"un": f"{article} {noun}", "le": f"{definite}{noun}", "nom": noun}[spec]
        if spec == "_":  # {size:_} → « 1 000 092 »: digits grouped by three, with spaces
            return f"{value:_}".replace("_", " ")
        if spec == "unite":  # a unit as the spec writes it; a bare number said in words
            return self.catalog.UNITS.get(value, value) if value else self.catalog.UNITS["number"]
        return super().format_field(value, spec)


def text(code: str, lang: str | None = None, **args) -> tuple[str, str]:
    """The (message, hint) of ``code`` in ``lang`` (the language in force by default)."""
    catalog = CATALOGS[lang or language()]
    message, hint = catalog.MESSAGES[code]
    fmt = _Formatter(catalog)
    return fmt.format(message, **args), fmt.format(hint, **args)


def word(code: str, lang: str | None = None, **args) -> str:
    """One phrase of the catalog (a note, a 'did you mean', a summary line)."""
    return text(code, lang, **args)[0]


def either(names, lang: str | None = None) -> str:
    """« 'a' ou 'b' » / "'a' or 'b'": names as a choice, quoted."""
    catalog = CATALOGS[lang or language()]
    quoted = [catalog.QUOTE.format(n) for n in names]
    return f" {catalog.OR} ".join(quoted)


def token_word(terminal: str, lang: str | None = None) -> str | None:
    """How a terminal of the grammar (``NAME``, ``LBRACE``) reads to an author, or None."""
    return CATALOGS[lang or language()].TOKENS.get(terminal)
