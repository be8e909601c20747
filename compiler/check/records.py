"""Tables of records (stays, prescriptions…) and inputs computed from them.

A ``table`` declares records keyed to the establishment rows, with its columns and
their units; an input's ``from_records`` is an aggregate over one table — ``count(stays
where dmp_fed and has_dmp)``, ``sum(stays.days where …)``, ``count_distinct(stays.patient)``
— computed per establishment (and field) when the table is given with the dataset.
Its condition reads only the table's columns, parameters and literals.
"""

from __future__ import annotations

from dataclasses import replace

from qualispec.compiler import ir, units
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
                self.d.error(f"la clé de la table '{decl.name}' doit être [{', '.join(key)}] : un enregistrement "
                             f"appartient à une ligne du jeu de données (un établissement{' et un champ' if has_fields else ''})",
                             key_prop.value.span)
        columns = []
        columns_prop = decl.get("columns")
        if columns_prop is None or not isinstance(columns_prop.value, ast.MapLit):
            self.d.error(f"la table '{decl.name}' ne dit pas ses colonnes", (columns_prop.value.span if columns_prop
                                                                          else decl.span),
                         hint="ajoutez : columns: { patient: text, dmp_fed: boolean, days: days }")
        else:
            for name, span, unit_expr in columns_prop.value.entries:
                if name in KEYS:
                    self.d.error(f"'{name}' est la clé de la table '{decl.name}', pas une de ses colonnes", span)
                    continue
                unit_name = unit_expr.name if isinstance(unit_expr, ast.Ref) and unit_expr.member is None else None
                if unit_name is None:
                    self.d.error(f"la colonne '{name}' de la table '{decl.name}' doit avoir une unité "
                                 f"({', '.join(units.UNITS)})", unit_expr.span)
                    continue
                columns.append((name, self._unit(unit_name, unit_expr.span)))
        meanings = {}
        meaning_prop = decl.get("meaning")
        if meaning_prop is not None and isinstance(meaning_prop.value, ast.MapLit):
            known = [c for c, _ in columns]
            for name, span, text in meaning_prop.value.entries:
                if name not in known:
                    self.d.error(f"'{name}' n'est pas une colonne de la table '{decl.name}'", span,
                                 hint=did_you_mean(name, known) or f"colonnes : {', '.join(known)}")
                elif not isinstance(text, ast.Text):
                    self.d.error(f"le sens de la colonne '{name}' s'écrit entre guillemets", text.span)
                else:
                    meanings[name] = text.value
        return ir.Table("table", decl.name, decl.span, **self._common(decl), key=key, columns=tuple(columns),
                        meanings=meanings)

    def _from_records(self, decl: ast.Decl, unit: str, tables: dict[str, ir.Table]) -> ast.Expr | None:
        prop = decl.get("from_records")
        if prop is None:
            return None
        e = prop.value
        what = f"'from_records' de l'entrée '{decl.name}'"
        if not isinstance(e, ast.Call) or e.func not in RECORD_AGGREGATES:
            self.d.error(f"{what} doit être un agrégat d'une table : {', '.join(RECORD_AGGREGATES)}", e.span,
                         hint="par exemple : count(stays where dmp_fed and has_dmp)")
            return None
        if len(e.args) != 1 or e.named or e.over is not None or not isinstance(e.args[0], ast.Ref):
            self.d.error(f"{what} : écrivez {e.func}(table where condition) ou {e.func}(table.colonne where condition)",
                         e.span)
            return None
        records = e.args[0]
        table = tables.get(records.name)
        if table is None:
            self.d.error(f"table inconnue '{records.name}'", records.span,
                         hint=did_you_mean(records.name, tables) or "déclarez-la : table NOM { columns: { … } }")
            return None
        columns = dict(table.columns)
        column_unit = None
        if records.member is not None:
            if records.member not in columns:
                self.d.error(f"'{records.member}' n'est pas une colonne de la table '{table.name}'", records.span,
                             hint=did_you_mean(records.member, columns) or f"colonnes : {', '.join(columns)}")
                return None
            column_unit = columns[records.member]
        if e.func != "count" and records.member is None:
            self.d.error(f"{e.func} lit une colonne : écrivez {e.func}({table.name}.colonne)", records.span)
            return None
        if e.func in ("sum", "min", "max") and column_unit in ("boolean", "text", "category"):
            self.d.error(f"{e.func} additionne ou compare des nombres ; la colonne '{records.member}' est {column_unit}",
                         records.span, hint=f"pour compter : count({table.name} where {records.member})")
            return None
        actual = "count" if RECORD_AGGREGATES[e.func] == "count" else column_unit
        if not units.compatible(unit, actual):
            self.d.error(f"l'entrée '{decl.name}' est déclarée {unit}, mais {e.func}(…) donne {actual}", e.span)
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
                self.d.error(f"la condition de {what} ne lit que les colonnes de la table '{table.name}' et des "
                             f"paramètres ; '{node.name}' n'en est pas", node.span,
                             hint=f"colonnes : {', '.join(c for c, _ in table.columns)}")
        unit = getattr(resolved, "unit", None)
        if unit not in ("boolean", None):
            self.d.error(f"la condition de {what} doit être vrai ou faux, or elle est {unit}", resolved.span,
                         hint="comparez-la : days >= 30, has_dmp = true …")
        return resolved
