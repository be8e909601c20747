"""Diagnostics for machines: the JSON of ``check --format json`` and SARIF 2.1.0 for CI and editors."""

from __future__ import annotations

from qualispec import __version__
from qualispec.compiler import messages
from qualispec.compiler.diagnostics import Diagnostic

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def as_json(shown: list[Diagnostic], campaigns: list[str]) -> dict:
    return {
        "language": messages.language(),
        "campaigns": campaigns,
        "errors": sum(d.severity == "error" for d in shown),
        "warnings": sum(d.severity == "warning" for d in shown),
        "diagnostics": [{
            "severity": d.severity, "code": d.code, "message": d.message, "hint": d.hint, "notes": list(d.notes),
            "file": d.span.file, "line": d.span.line, "column": d.span.column,
            "end_line": d.span.end_line or d.span.line, "end_column": d.span.end_column or d.span.column,
        } for d in shown],
    }


def as_sarif(shown: list[Diagnostic]) -> dict:
    codes = sorted({d.code or "other" for d in shown})
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "qualispec", "version": __version__,
                                "rules": [{"id": code} for code in codes]}},
            "results": [_result(d) for d in shown],
        }],
    }


def _result(d: Diagnostic) -> dict:
    text = d.message + "".join(f"\n{n}" for n in d.notes) + (f"\n{d.hint}" if d.hint else "")
    result = {"ruleId": d.code or "other", "level": "error" if d.severity == "error" else "warning",
              "message": {"text": text}}
    if d.span.line > 0:
        region = {"startLine": d.span.line, "startColumn": d.span.column}
        if d.span.end_line:
            region.update(endLine=d.span.end_line, endColumn=max(d.span.end_column, d.span.column))
        result["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": d.span.file}, "region": region}}]
    else:
        result["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": d.span.file}}}]
    return result
