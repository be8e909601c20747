"""Tables of records (stays, prescriptions…) and inputs computed from them.

A ``table`` declares records keyed to the establishment rows, with its columns and
their units; an input's ``from_records`` is an aggregate over one table — ``count(stays
where dmp_fed and has_dmp)``, ``sum(stays.days where …)``, ``count_distinct(stays.patient)``
— computed per establishment (and field) when the table is given with the dataset.
Its condition reads only the table's columns, parameters and literals.
"""

from __future__ import annotations

from dataclasses import replace

from qualispec.compiler import ir, messages, units
from qualispec.compiler.syntax import ast
from qualispec.compiler.diagnostics import did_you_mean
from qualispec.compiler.check.scope import Scope

# aggregate → the unit of its value ("column": the unit of the column it reads)
RECORD_AGGREGATES = {"count": "count", "count_distinct": "count", "sum": "column", "min": "column", "max": "column"}
KEYS = ("finess", "field")


class Records:
    """Tables of records and the inputs computed from them."""

    def _table(self, decl: ast.Decl) -> ir.Table:
        has_fields = any(d.kind == "field" for d in self.decls.values())
        key = tuple(n for n in ("finess", "field") if n != "field" or has_fields)
        key_prop = decl.get("key")
        if key_prop is not None and isinstance(key_prop.value, ast.ListLit):
            given = tuple(i.name for i in key_prop.value.items if isinstance(i, ast.Ref))
            if given != key:
                self.d.error("records.key" if has_fields else "records.key_no_field", key_prop.value.span,
                             table=decl.name, key=", ".join(key))
        columns = []
        columns_prop = decl.get("columns")
        if columns_prop is None or not isinstance(columns_prop.value, ast.MapLit):
            self.d.error("records.no_columns", columns_prop.value.span if columns_prop else decl.span, table=decl.name)
        else:
            for name, span, unit_expr in columns_prop.value.entries:
                if name in KEYS:
                    self.d.error("records.key_as_column", span, name=name, table=decl.name)
                    continue
                unit_name = unit_expr.name if isinstance(unit_expr, ast.Ref) and unit_expr.member is None else None
                if unit_name is None:
                    self.d.error("records.column_unit", unit_expr.span, name=name, table=decl.name,
                                 units=", ".join(units.UNITS))
                    continue
                columns.append((name, self._unit(unit_name, unit_expr.span)))
        meanings = {}
        meaning_prop = decl.get("meaning")
        if meaning_prop is not None and isinstance(meaning_prop.value, ast.MapLit):
            known = [c for c, _ in columns]
            for name, span, text in meaning_prop.value.entries:
                if name not in known:
                    self.d.error("records.unknown_column", span, hint=did_you_mean(name, known) or None,
                                 name=name, table=decl.name, columns=", ".join(known))
                elif not isinstance(text, ast.Text):
                    self.d.error("records.meaning_not_text", text.span, name=name)
                else:
                    meanings[name] = text.value
        return ir.Table("table", decl.name, decl.span, **self._common(decl), key=key, columns=tuple(columns),
                        meanings=meanings)

    def _from_records(self, decl: ast.Decl, unit: str, tables: dict[str, ir.Table]) -> ast.Expr | None:
        prop = decl.get("from_records")
        if prop is None:
            return None
        e = prop.value
        what = messages.word("what.from_records", input=decl.name)
        if not isinstance(e, ast.Call) or e.func not in RECORD_AGGREGATES:
            self.d.error("records.not_an_aggregate", e.span, what=what, aggregates=", ".join(RECORD_AGGREGATES))
            return None
        if len(e.args) != 1 or e.named or e.over is not None or not isinstance(e.args[0], ast.Ref):
            self.d.error("records.aggregate_form", e.span, what=what, func=e.func)
            return None
        records = e.args[0]
        table = tables.get(records.name)
        if table is None:
            self.d.error("records.unknown_table", records.span, hint=did_you_mean(records.name, tables) or None,
                         name=records.name)
            return None
        columns = dict(table.columns)
        column_unit = None
        if records.member is not None:
            if records.member not in columns:
                self.d.error("records.unknown_column", records.span, hint=did_you_mean(records.member, columns) or None,
                             name=records.member, table=table.name, columns=", ".join(columns))
                return None
            column_unit = columns[records.member]
        if e.func != "count" and records.member is None:
            self.d.error("records.needs_column", records.span, func=e.func, table=table.name)
            return None
        if e.func in ("sum", "min", "max") and column_unit in ("boolean", "text", "category"):
            self.d.error("records.not_numeric", records.span, func=e.func, name=records.member, unit=column_unit,
                         table=table.name)
            return None
        actual = "count" if RECORD_AGGREGATES[e.func] == "count" else column_unit
        if not units.compatible(unit, actual):
            self.d.error("records.unit_mismatch", e.span, input=decl.name, unit=unit, func=e.func, actual=actual)
        where = self._record_condition(table, e.where, what) if e.where is not None else None
        target = f"{table.name}.{records.member}" if records.member else table.name
        return replace(e, args=(replace(records, target=target, unit=column_unit),), where=where, unit=actual)

    def _record_condition(self, table: ir.Table, condition: ast.Expr, what: str) -> ast.Expr:
        local = {c: (f"{table.name}.{c}", u) for c, u in table.columns}
        resolved = self.resolve(condition, Scope(self, local, where=what))
        for node in ast.walk(resolved):
            if isinstance(node, ast.Ref) and node.target and not (
                    node.target.startswith(f"{table.name}.") or node.target.startswith("field:")
                    or node.target in self.nodes and self.nodes[node.target].kind == "parameter"):
                self.d.error("records.condition_reads", node.span, what=what, table=table.name, name=node.name,
                             columns=", ".join(c for c, _ in table.columns))
        unit = getattr(resolved, "unit", None)
        if unit not in ("boolean", None):
            self.d.error("records.condition_not_boolean", resolved.span, what=what, unit=unit)
        return resolved
