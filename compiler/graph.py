"""The dependency graph of a campaign, its cycles, and its pictures (dot, mermaid, json).

An edge ``a → b`` means "b reads a". Aggregates over a group read the row's group
assignment (node ``group``), which reads every group's condition, so a group
condition that uses an aggregate over its own groups is a cycle, as it should be.
"""

from __future__ import annotations

import json

import networkx as nx

from qualispec.compiler import ir
from qualispec.compiler.syntax import ast
from qualispec.compiler.diagnostics import Diagnostics


def references(expr: ast.Expr | None) -> set[str]:
    """The node ids an expression reads."""
    found: set[str] = set()
    if expr is None:
        return found
    for node in ast.walk(expr):
        found |= reads(node)
    return found


def reads(node: ast.Expr) -> set[str]:
    """The node id one node of an expression reads by itself (a name, or the population of an aggregate)."""
    if isinstance(node, ast.Ref) and node.target and not node.target.startswith(("field:", "@", "kind:")):
        return {node.target}
    if isinstance(node, ast.Call) and node.over:
        return {node.over if node.over != "all" else "finess"}
    return set()


def build(campaign: ir.Campaign) -> nx.DiGraph:
    graph = nx.DiGraph()
    for node in campaign.nodes.values():
        graph.add_node(node.id, kind=node.kind, unit=node.unit, owner=node.owner)
    for group in campaign.groups.values():
        graph.add_edge(group.name, "group")
    graph.add_edge("field", "group")
    for node in campaign.nodes.values():
        for source in references(node.expr):
            if source in campaign.nodes:
                graph.add_edge(source, node.id)
    for curve in campaign.curves.values():
        graph.add_node(f"curve:{curve.name}", kind="curve", unit=curve.unit, owner=None)
        for ind in campaign.indicators.values():
            if ind.valuation == curve.name:
                for part, node_id in ind.parts:
                    if part == "score" or part in dict(curve.bindings):
                        graph.add_edge(f"curve:{curve.name}", node_id)
    return graph


def report_cycles(graph: nx.DiGraph, campaign: ir.Campaign, diagnostics: Diagnostics) -> bool:
    """One error per loop, naming every step of it. True when there is none."""
    clean = True
    for component in nx.strongly_connected_components(graph):
        if len(component) == 1:
            (only,) = component
            if not graph.has_edge(only, only):
                continue
        cycle = nx.find_cycle(graph.subgraph(component))
        loop = [edge[0] for edge in cycle] + [cycle[0][0]]
        first = min(loop[:-1], key=lambda n: (campaign.nodes[n].span.file, campaign.nodes[n].span.line)
                    if n in campaign.nodes else ("~", 0))
        start = loop.index(first)
        ordered = loop[start:-1] + loop[:start] + [first]
        span = campaign.nodes[first].span if first in campaign.nodes else campaign.span
        diagnostics.error("graph.cycle", span, loop=" → ".join(ordered))
        clean = False
    return clean


def evaluation_order(graph: nx.DiGraph) -> list[str]:
    return [n for n in nx.lexicographical_topological_sort(graph) if not n.startswith("curve:")]


# ------------------------------------------------------------------ pictures
def to_json(graph: nx.DiGraph, campaign: ir.Campaign) -> str:
    nodes = []
    for node_id, data in sorted(graph.nodes(data=True)):
        nodes.append({"id": node_id, "kind": data.get("kind"), "name": node_id.split(":", 1)[-1],
                      "unit": data.get("unit"), "owner": data.get("owner")})
    edges = [{"from": a, "to": b} for a, b in sorted(graph.edges())]
    return json.dumps({"campaign": campaign.name, "nodes": nodes, "edges": edges}, ensure_ascii=False, indent=2)


_SHAPES = {"input": "box", "parameter": "note", "builtin": "box", "group": "hexagon", "prerequisite": "diamond",
           "part": "ellipse", "envelope": "octagon", "curve": "component"}


def to_dot(graph: nx.DiGraph, campaign: ir.Campaign) -> str:
    lines = [f'digraph "{campaign.name}" {{', "  rankdir=LR;", '  node [fontname="Helvetica"];']
    for node_id, data in sorted(graph.nodes(data=True)):
        unit = f"\\n({data['unit']})" if data.get("unit") else ""
        lines.append(f'  "{node_id}" [shape={_SHAPES.get(data.get("kind"), "ellipse")}, label="{node_id}{unit}"];')
    for a, b in sorted(graph.edges()):
        lines.append(f'  "{a}" -> "{b}";')
    lines.append("}")
    return "\n".join(lines)


def _mermaid_id(node_id: str) -> str:
    return "n_" + "".join(c if c.isalnum() else "_" for c in node_id)


def to_mermaid(graph: nx.DiGraph, campaign: ir.Campaign) -> str:
    lines = ["flowchart LR"]
    for node_id, data in sorted(graph.nodes(data=True)):
        label = node_id.replace('"', "'")
        unit = f" ({data['unit']})" if data.get("unit") else ""
        shape = {"input": ('["', '"]'), "parameter": ('[/"', '"/]'), "group": ('{{"', '"}}'),
                 "prerequisite": ('{"', '"}'), "envelope": ('[("', '")]')}.get(data.get("kind"), ('("', '")'))
        lines.append(f"  {_mermaid_id(node_id)}{shape[0]}{label}{unit}{shape[1]}")
    for a, b in sorted(graph.edges()):
        lines.append(f"  {_mermaid_id(a)} --> {_mermaid_id(b)}")
    return "\n".join(lines)
