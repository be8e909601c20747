"""A page that ``docs`` adds to a campaign from outside the compiler (the runtime's money report).

Its own small module, so that the process that makes the money reports (:mod:`qualispec.runtime.impact_site`)
does not import the fiches' renderer (Jinja2, sympy's printers, Graphviz) to describe one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class ExtraPage:
    """A page that ``docs`` adds to a campaign extending another, made outside the compiler (the runtime's money
    report on an example dataset, :mod:`qualispec.runtime.impact_site`): written at ``<campaign>/<name>`` and
    linked from the « Changements » page by ``title``; ``key`` hashes everything it reads besides the specs;
    ``render(old, new, rules)`` gives its HTML (from two compiled campaigns and their rule diff); ``prepare()``,
    called as soon as the page is known to be needed, before anything is compiled, may get ready to make it in the
    background; ``ready(old, new, rules)``, called once the two campaigns are compiled and their rule diff is known
    (before the fiches are written), may start making it there."""
    name: str
    title: str
    key: str
    render: Callable[[object, object, object], str]
    prepare: Callable[[], None] | None = None
    ready: Callable[[object, object, object], None] | None = None
