"""Properties of a declaration: known keys, each of the right kind, required ones present, texts and names read."""

from __future__ import annotations

from qualispec.compiler import messages
from qualispec.compiler.syntax import ast
from qualispec.compiler.diagnostics import did_you_mean
from qualispec.compiler.check.vocabulary import ALLOWED, COMMON, REQUIRED, SHOWN_BY_LABEL


class Properties:
    """Checks and readers of declaration properties."""

    def _check_properties(self, decl: ast.Decl) -> None:
        allowed = {**COMMON, **ALLOWED.get(decl.kind, {})}
        seen: dict[str, ast.Property] = {}
        for prop in decl.body:
            if prop.is_binding:
                if decl.kind not in ("indicator", "curve", "envelope"):
                    self.d.error("check.no_let", prop.span, kind=decl.kind)
                continue
            if prop.key in seen:
                self.d.error("check.property_twice", prop.span, key=prop.key, kind=decl.kind, name=decl.name,
                             place=seen[prop.key].span)
            seen[prop.key] = prop
            kind = allowed.get(prop.key)
            if kind is None:
                self.d.error("check.unknown_property", prop.span, hint=did_you_mean(prop.key, allowed) or None,
                             key=prop.key, kind=decl.kind, allowed=", ".join(sorted(allowed)))
                continue
            self._check_value_kind(decl, prop, kind)
        for key in REQUIRED.get(decl.kind, ()):
            if key not in seen:
                self.d.error("check.missing_property", decl.span, kind=decl.kind, name=decl.name, key=key)
        if decl.kind != "campaign" and "source" not in seen and "assumption" not in seen and decl.kind not in ("field", "document"):
            self.d.warning("check.no_source", decl.span, kind=decl.kind, name=decl.name)

    def _check_value_kind(self, decl, prop, kind) -> None:
        v = prop.value
        ok = {
            "text": isinstance(v, ast.Text),
            "source": isinstance(v, ast.SourceRef),
            "number": isinstance(v, ast.Num),
            "boolean": isinstance(v, ast.Bool),
            # `status: missing` in an override: the inherited indicator no longer reads a status
            "name": (isinstance(v, ast.Ref) and v.member is None) or (prop.key == "status" and isinstance(v, ast.Missing)),
            "names": isinstance(v, ast.ListLit) and all(isinstance(i, ast.Ref) for i in v.items),
            "list": isinstance(v, ast.ListLit),
            "expr": not isinstance(v, (ast.SourceRef, ast.ListLit)),
        }[kind]
        if not ok:
            self.d.error("check.property_value_kind", prop.value.span, key=prop.key, kind=decl.kind, name=decl.name,
                         expected=messages.word(f"value.{kind}"))
        if kind == "source" and ok:
            doc = self.decls.get(v.document)
            if doc is None or doc.kind != "document":
                docs = [n for n, x in self.decls.items() if x.kind == "document"]
                self.d.error("check.unknown_document", v.span, hint=did_you_mean(v.document, docs) or None, name=v.document)

    def _common(self, decl: ast.Decl) -> dict:
        texts = {}
        for prop in decl.body:
            if not prop.is_binding and isinstance(prop.value, ast.Text) and (prop.key not in COMMON or prop.key == "note"):
                texts[prop.key] = prop.value.value
        source = decl.get("source")
        if decl.kind in SHOWN_BY_LABEL and not self._text(decl, "label"):
            self.d.warning("check.label_missing", decl.span, kind=decl.kind, name=decl.name)
        for prop in decl.body:
            if prop.is_binding and not prop.label and decl.kind in SHOWN_BY_LABEL:
                self.d.warning("check.let_label_missing", prop.span, name=prop.key, kind=decl.kind, owner=decl.name)
        return dict(
            label=self._text(decl, "label"), description=self._text(decl, "description"),
            let_labels={p.key: p.label for p in decl.body if p.is_binding and p.label},
            source=source.value if source and isinstance(source.value, ast.SourceRef) else None,
            assumption=self._text(decl, "assumption"), carried=self.loaded.carried.get(decl.name, ""),
            texts=texts,
        )

    @staticmethod
    def _text(decl: ast.Decl, key: str) -> str:
        prop = decl.get(key)
        return prop.value.value if prop and isinstance(prop.value, ast.Text) else ""

    @staticmethod
    def _year(decl: ast.Decl) -> int | None:
        prop = decl.get("year")
        return int(prop.value.value) if prop and isinstance(prop.value, ast.Num) else None

    def _names(self, decl: ast.Decl, key: str, kind: str) -> tuple[str, ...]:
        prop = decl.get(key)
        if prop is None or not isinstance(prop.value, ast.ListLit):
            return ()
        names = []
        for item in prop.value.items:
            if isinstance(item, ast.Ref) and item.name in names:
                self.d.warning("check.listed_twice", item.span, name=item.name, key=key)
            elif isinstance(item, ast.Ref):
                self._expect_kind(item.name, kind, item.span)
                names.append(item.name)
        return tuple(names)

    def _expect_kind(self, name: str, kind: str, span) -> bool:
        decl = self.decls.get(name)
        if decl is not None and decl.kind == kind:
            return True
        options = [n for n, d in self.decls.items() if d.kind == kind]
        if decl is None:
            self.d.error("check.unknown_of_kind", span, kind=kind, name=name, hint=did_you_mean(name, options) or (
                messages.word("hint.known_of_kind", kind=kind, options=", ".join(options)) if options else None))
        else:
            self.d.error("check.wrong_kind", span, name=name, actual=decl.kind, kind=kind, hint=did_you_mean(name, options))
        return False

