"""argparse's own words (« usage », « options », its errors) in the language of the messages.

argparse looks each of its phrases up through ``gettext`` when it prints them; this module
gives it the French ones, so that a mistyped command is answered in French like the rest of
qualispec (``--lang en`` or ``QUALISPEC_LANG=en`` keep argparse's English).
"""

from __future__ import annotations

import argparse
import gettext

from qualispec.compiler.messages import CATALOGS

FRENCH = {
    "usage: ": "usage : ",
    "options": "options",
    "positional arguments": "arguments",
    "show this help message and exit": "afficher cette aide et sortir",
    "show program's version number and exit": "afficher la version de qualispec et sortir",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choisir parmi %(choices)s)",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s attendu) : %(value)r",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "expected one argument": "une valeur attendue",
    "expected at most one argument": "au plus une valeur attendue",
    "expected at least one argument": "au moins une valeur attendue",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "not allowed with argument %s": "interdit avec l'argument %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
}
FRENCH_PLURALS = {"expected %s argument": ("%s valeur attendue", "%s valeurs attendues")}


def speak(lang: str) -> None:
    """argparse's phrases in ``lang`` (``fr``), or its own English."""
    if lang == "fr":
        argparse._ = lambda text: FRENCH.get(text, text)
        argparse.ngettext = lambda one, many, n: (
            FRENCH_PLURALS[one][n != 1] if one in FRENCH_PLURALS else (one if n == 1 else many))
    else:
        argparse._, argparse.ngettext = gettext.gettext, gettext.ngettext


def language_asked(argv: list[str] | None) -> str | None:
    """The ``--lang`` of a command line not parsed yet (argparse needs its words before parsing);
    a language it does not know is left to the real parser to refuse."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang", nargs="?")
    lang = early.parse_known_args(argv)[0].lang
    return lang if lang in CATALOGS else None
