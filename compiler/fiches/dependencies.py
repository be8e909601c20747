"""Dependency pictures of the fiches, laid out by Graphviz (``dot``) and written as SVG.

- ``campaign_picture``: a campaign from its data and parameters to its payouts, each indicator
  (and envelope) one box, not its dozen parts, the comparison groups one box; in a big campaign
  (more than ``SMALL`` boxes) the data and parameters read by one indicator only are counted on
  its box instead of drawn (its fiche draws them);
- ``indicator_picture``: what one indicator reads, its own parts in a frame named after it.

Every box says its French label (the code name is its tooltip). ``render`` lays out all the
pictures of a site in one ``dot`` process (``dot`` reads several graphs in a row and writes one
SVG document per graph). The Python side uses the ``graphviz`` package (quoting, running dot);
the ``dot`` program itself is Graphviz (Debian: ``apt-get install graphviz``): when it is missing,
:class:`GraphvizMissing` says so in French.

Deterministic: nodes and edges are written sorted, and the version comment dot puts in its
output is removed, so that regenerating gives the same bytes.
"""

from __future__ import annotations

import re
import textwrap

import graphviz
import networkx as nx

from qualispec.compiler import ir
from qualispec.compiler.labels import indicator_words as _indicator_words, node_label

SHARED = "shared_parameters"  # the box of the parameters several indicators read (big campaigns)
SMALL = 45  # a campaign picture with more boxes than this leaves single-use data and parameters to the fiches
FONT = "DejaVu Sans"
KIND_COLOURS = {
    "input": "#dbe9f6", "parameter": "#fff2cc", "builtin": "#eeeeee", "group": "#e2f0d9",
    "prerequisite": "#fde2d6", "part": "#ffffff", "indicator": "#ffffff", "envelope": "#ead1f5", "curve": "#d9d2e9",
}
KIND_WORDS = {  # the legend, in the order of the stages (left to right)
    "input": "donnée", "builtin": "donnée de l'établissement", "parameter": "paramètre", "curve": "courbe",
    "group": "groupe de comparaison", "prerequisite": "prérequis", "indicator": "indicateur",
    "part": "étape du calcul de l'indicateur", "envelope": "enveloppe",
}


class GraphvizMissing(RuntimeError):
    """``dot`` cannot be run: the message says how to install it."""

    def __init__(self):
        super().__init__("Graphviz est introuvable (la commande « dot ») : il dessine les graphes des dépendances. "
                         "Installez-le (Debian ou Ubuntu : apt-get install graphviz ; macOS : brew install graphviz) "
                         "puis relancez qualispec docs.")


def _box(text: str, width: int = 26, end: str = r"\n") -> str:
    """A label wrapped on lines of about ``width`` characters, each escaped for dot and ended by ``end``
    (``\\n`` centred, ``\\l`` left-aligned; dot ends the last line centred unless told)."""
    lines = textwrap.wrap(" ".join(text.split()), width) or [""]
    text = end.join(graphviz.escape(line) for line in lines)
    return text + end if end != r"\n" else text


# ------------------------------------------------------------------ pictures (dot sources)
def _digraph(name: str) -> graphviz.Digraph:
    g = graphviz.Digraph(name)
    g.attr(rankdir="LR", nodesep="0.12", ranksep="0.45", fontname=FONT, fontsize="11", bgcolor="transparent")
    g.attr("node", shape="box", style="rounded,filled", fontname=FONT, fontsize="10", color="#777777",
           margin="0.08,0.04", height="0.3")
    g.attr("edge", color="#8a8a8a", arrowsize="0.5", penwidth="0.7")
    return g


def _id(node_id: str) -> str:
    """A node's name in dot: ``curve:x`` would read as node ``curve``, port ``x``."""
    return node_id.replace(":", "__")


def _node(g, node_id: str, label: str, kind: str, strong: bool = False) -> None:
    g.node(_id(node_id), _box(label), fillcolor=KIND_COLOURS.get(kind, "#ffffff"), tooltip=graphviz.escape(node_id),
           **({"penwidth": "1.6", "color": "#1f4e79"} if strong else {}))


def _owner(campaign: ir.Campaign, node_id: str) -> str:
    owner = node_id.partition(".")[0]
    return owner if "." in node_id and (owner in campaign.indicators or owner in campaign.envelopes) else node_id


def _kind(campaign: ir.Campaign, graph: nx.DiGraph, node_id: str) -> str:
    if node_id in campaign.indicators:
        return "indicator"
    if node_id in campaign.envelopes:
        return "envelope"
    return graph.nodes[node_id].get("kind") or "part" if node_id in graph else "part"


def campaign_picture(campaign: ir.Campaign, graph: nx.DiGraph) -> graphviz.Digraph:
    """The campaign from its data to its payouts: one box per indicator and envelope, the comparison
    groups as one box (their page lists them)."""
    def box(node_id: str) -> str:
        return "group" if node_id in campaign.groups else _owner(campaign, node_id)

    boxes = nx.DiGraph()
    for node_id in graph.nodes:
        boxes.add_node(box(node_id))
    for a, b in graph.edges:
        if box(a) != box(b):
            boxes.add_edge(box(a), box(b))
    readers: dict[str, int] = {}
    shared: list[str] = []
    if boxes.number_of_nodes() > SMALL:
        for node_id in sorted(boxes.nodes):
            users = set(boxes.successors(node_id))
            kind = _kind(campaign, graph, node_id)
            if kind not in ("input", "parameter", "curve") or not users <= set(campaign.indicators):
                continue
            if len(users) == 1 and kind != "curve":
                user = users.pop()
                readers[user] = readers.get(user, 0) + 1
                boxes.remove_node(node_id)
            elif kind != "input":  # parameters and curves many indicators read: one box
                shared.append(node_id)
    if len(shared) > 1:
        users = set().union(*(boxes.successors(n) for n in shared))
        boxes.remove_nodes_from(shared)
        boxes.add_edges_from((SHARED, u) for u in users)
    g = _digraph(campaign.name)
    for n in sorted(boxes.nodes):
        if n == SHARED:
            lines = [f"Paramètres communs ({len(shared)}) :"] + [f"• {node_label(campaign, p)}" for p in shared]
            g.node(SHARED, "".join(_box(line, 40, r"\l") for line in lines),
                   fillcolor=KIND_COLOURS["parameter"], tooltip=graphviz.escape(" ".join(shared)))
            continue
        label = node_label(campaign, n)
        if n == "group" and campaign.groups:
            label = f"{len(campaign.groups)} groupes de comparaison"
        if readers.get(n):
            label += f" (+ {readers[n]} donnée{'s' if readers[n] > 1 else ''} ou paramètre"\
                     f"{'s' if readers[n] > 1 else ''} propres)"
        _node(g, n, label, "group" if n == "group" and campaign.groups else _kind(campaign, graph, n))
    for a, b in sorted(boxes.edges):
        g.edge(_id(a), _id(b))
    return g


def indicator_picture(campaign: ir.Campaign, graph: nx.DiGraph, indicator: str, nodes) -> graphviz.Digraph:
    """What ``indicator`` reads (``nodes`` of the dependency graph), its own parts framed."""
    ind = campaign.indicators[indicator]
    own = {node_id for _, node_id in ind.parts}
    boxes = nx.DiGraph()
    keep = lambda n: n if n in own else _owner(campaign, n)  # noqa: E731 - other indicators as one box
    for n in nodes:
        boxes.add_node(keep(n))
    for a, b in graph.subgraph(nodes).edges:
        if keep(a) != keep(b):
            boxes.add_edge(keep(a), keep(b))
    g = _digraph(indicator)
    with g.subgraph(name="cluster_own") as frame:
        frame.attr(label=_box(_indicator_words(ind)), style="rounded", color="#1f4e79", fontcolor="#1f4e79")
        for n in sorted(n for n in boxes.nodes if n in own):
            _node(frame, n, node_label(campaign, n, own=indicator), "part", strong=True)
    for n in sorted(n for n in boxes.nodes if n not in own):
        _node(g, n, node_label(campaign, n), _kind(campaign, graph, n))
    for a, b in sorted(boxes.edges):
        g.edge(_id(a), _id(b))
    return g


# ------------------------------------------------------------------ layout
_VERSION_COMMENT = re.compile(r"<!-- Generated by graphviz[^>]*-->\n")
_PAGE_ID = re.compile(r'<g id="page\d+,\d+_graph0"')  # dot's id for a graph after the first of one input


def render(pictures: dict[str, graphviz.Digraph]) -> dict[str, str]:
    """Every picture as SVG text (same keys), laid out by one ``dot`` process."""
    if not pictures:
        return {}
    names = sorted(pictures)
    source = "".join(pictures[name].source for name in names)
    try:
        out = graphviz.pipe_string("dot", "svg", source, encoding="utf-8")
    except graphviz.ExecutableNotFound as error:
        raise GraphvizMissing() from error
    documents = [d for d in re.split(r"(?=<\?xml )", out) if d.strip()]
    if len(documents) != len(names):
        raise RuntimeError(f"dot a écrit {len(documents)} images pour {len(names)} graphes")
    # the same bytes for a picture whether it was laid out first, later, or alone (docs writes only what changed)
    return {name: _PAGE_ID.sub('<g id="graph0"', _VERSION_COMMENT.sub("", text)) for name, text in zip(names, documents)}
