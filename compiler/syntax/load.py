"""Folders of .spec files to campaigns, with year-over-year inheritance.

A folder holds one campaign: its ``*.spec`` files and exactly one ``campaign``
declaration. ``campaign ifaq_2024 extends "../2022"`` starts from everything the
2022 folder declares, then applies the 2024 folder:

- ``override X { … }`` changes some properties of X (``override X as Y`` renames it;
  ``override p = 50% { source: … }`` gives a parameter a new value);
- ``carry X, Y { assumption: "…" }`` keeps X and Y unchanged and says why that is
  believed to still hold;
- ``drop X { reason: "…" }`` removes X;
- a new declaration adds a rule.

A rule (indicator, prerequisite, group, curve, envelope, parameter) that the newer
campaign inherits but neither overrides, carries nor drops is an error: what a new
year's document does not restate must not silently carry over as if confirmed.
Vocabulary (documents, fields, categories, inputs) carries over silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from qualispec.compiler.syntax import ast
from qualispec.compiler.diagnostics import Diagnostics, a, did_you_mean
from qualispec.compiler.limits import MAX_EXTENDS_CHAIN, MAX_EXTENDS_CHARS
from qualispec.compiler.syntax.parse import parse_text
from qualispec.compiler.syntax.source_files import read_spec

RULE_KINDS = ("indicator", "prerequisite", "group", "curve", "envelope", "parameter")


@dataclass
class Loaded:
    """The declarations of one campaign after inheritance, ready to check."""

    path: str
    campaign: ast.Decl | None
    decls: dict[str, ast.Decl] = field(default_factory=dict)
    lineage: dict[str, str] = field(default_factory=dict)
    carried: dict[str, str] = field(default_factory=dict)  # name → assumption text
    dropped: dict[str, str] = field(default_factory=dict)
    base_name: str | None = None
    base_path: str = ""  # the extended campaign's folder


def campaign_folders(path: str | Path) -> list[Path]:
    """Every folder under ``path`` (or ``path`` itself) that holds .spec files."""
    root = Path(path)
    if root.is_file():
        return [root.parent]
    folders = sorted({p.parent for p in root.rglob("*.spec")})
    return folders


def load_folder(folder: Path, diagnostics: Diagnostics, _seen: tuple[Path, ...] = ()) -> Loaded:
    folder = folder.resolve()
    files = sorted(folder.glob("*.spec"))
    decls: list[ast.Decl] = []
    unread = False
    for file in files:
        text = read_spec(file, folder, _show(file), diagnostics)
        unread |= text is None
        if text is not None:
            decls.extend(parse_text(text, _show(file), diagnostics).decls)

    campaigns = [d for d in decls if d.kind == "campaign"]
    if not campaigns and unread:
        return Loaded(_show(folder), None)
    if not campaigns:
        span = decls[0].span if decls else ast.Span(_show(folder), 0, 0)
        diagnostics.error(f"the folder {_show(folder)} has .spec files but no campaign declaration", span,
                          hint='add a file campaign.spec with: campaign NAME { label: "…" source: … }')
        return Loaded(_show(folder), None)
    for extra in campaigns[1:]:
        diagnostics.error(f"a folder holds one campaign; '{campaigns[0].name}' is already declared at {campaigns[0].span}",
                          extra.span, hint="put each campaign in a folder of its own")
    campaign = campaigns[0]

    loaded = Loaded(_show(folder), campaign)
    if campaign.extends is not None:
        base_folder = _base_folder(folder, campaign, len(_seen), diagnostics)
        if base_folder is None:
            pass
        elif base_folder in _seen or base_folder == folder:
            diagnostics.error(f"campaign '{campaign.name}' extends itself through {campaign.extends}", campaign.span)
        elif not base_folder.is_dir() or not any(base_folder.glob("*.spec")):
            diagnostics.error(f"campaign '{campaign.name}' extends \"{campaign.extends}\", which is not a folder of .spec files",
                              campaign.span, hint="the path is relative to this campaign's folder, e.g. \"../2022\"")
        else:
            base = load_folder(base_folder, diagnostics, _seen + (folder,))
            loaded.base_name = base.campaign.name if base.campaign else None
            loaded.base_path = base.path
            loaded.decls = dict(base.decls)
            loaded.carried = dict(base.carried)
            loaded.lineage = {name: "inherited" for name in base.decls}

    _apply(loaded, [d for d in decls if d.kind != "campaign"], diagnostics)
    loaded.decls[campaign.name] = campaign
    loaded.lineage.setdefault(campaign.name, "new")
    if loaded.base_name:
        _require_decisions(loaded, diagnostics)
    return loaded


def _base_folder(folder: Path, campaign: ast.Decl, depth: int, diagnostics: Diagnostics) -> Path | None:
    """The folder an ``extends`` names, or None after saying why it cannot be one."""
    path = campaign.extends
    hint = 'le chemin est relatif au dossier de la campagne, par exemple "../2022"'
    if depth + 1 >= MAX_EXTENDS_CHAIN:
        diagnostics.error(f"chaîne d'extends trop longue : plus de {MAX_EXTENDS_CHAIN} campagnes à la suite",
                          campaign.span, hint="cette limite protège la machine ; une campagne peut étendre "
                                              "directement une campagne plus ancienne")
        return None
    if not path or len(path) > MAX_EXTENDS_CHARS or Path(path).is_absolute() or any(not c.isprintable() for c in path):
        why = ("est vide" if not path else f"a plus de {MAX_EXTENDS_CHARS} caractères" if len(path) > MAX_EXTENDS_CHARS
               else "est absolu" if Path(path).is_absolute() else "contient un caractère invisible")
        diagnostics.error(f"campaign '{campaign.name}' : le chemin de extends {why}", campaign.span, hint=hint)
        return None
    try:
        return (folder / path).resolve()
    except (OSError, ValueError, RuntimeError) as error:
        diagnostics.error(f"campaign '{campaign.name}' : le chemin de extends ne se lit pas ({error})",
                          campaign.span, hint=hint)
        return None


def _apply(loaded: Loaded, decls: list[ast.Decl], diagnostics: Diagnostics) -> None:
    inherited = set(loaded.decls)
    base = loaded.base_name or "the extended campaign"
    for decl in decls:
        if decl.kind in ("override", "carry", "drop"):
            if not loaded.base_name:
                diagnostics.error(f"'{decl.kind}' only has a meaning in a campaign that extends another one", decl.span,
                                  hint='add extends "../<year>" to the campaign declaration, or declare it directly')
                continue
            targets = decl.targets or ((decl.name, decl.span),)
            for index, (name, span) in enumerate(targets):
                if any(name == earlier for earlier, _ in targets[:index]):
                    diagnostics.error(f"{decl.kind} : '{name}' est nommé deux fois", span, hint="retirez le doublon")
                    continue
                if name not in inherited:
                    hint = did_you_mean(name, inherited) or f"the names {base} declares are listed by: qualispec graph"
                    diagnostics.error(f"{decl.kind} '{name}' targets nothing inherited from {base}", span, hint=hint)
                    continue
                _apply_one(loaded, decl, name, diagnostics)
            continue
        if decl.name in loaded.decls:
            previous = loaded.decls[decl.name]
            if decl.name in inherited and loaded.lineage.get(decl.name) == "inherited":
                diagnostics.error(f"'{decl.name}' is inherited from {base} ({previous.span})", decl.span,
                                  hint=f"write 'override {decl.name} {{ … }}' to change it, or 'drop {decl.name}' to remove it")
            else:
                diagnostics.error(f"duplicate name '{decl.name}': already declared at {previous.span}", decl.span,
                                  hint="give each declaration its own name")
            continue
        loaded.decls[decl.name] = decl
        loaded.lineage[decl.name] = "new"


def _apply_one(loaded: Loaded, decl: ast.Decl, name: str, diagnostics: Diagnostics) -> None:
    target = loaded.decls[name]
    if decl.kind == "drop":
        reason = decl.get("reason")
        if reason is None:
            diagnostics.error(f"drop '{name}' needs a reason", decl.span, hint='add: reason: "…"')
        del loaded.decls[name]
        loaded.lineage.pop(name, None)
        loaded.dropped[name] = _text(reason)
        return
    if decl.kind == "carry":
        assumption = decl.get("assumption")
        if assumption is None:
            diagnostics.error(f"carry '{name}' needs an assumption saying why it still holds", decl.span,
                              hint='add: assumption: "…"')
        loaded.carried[name] = _text(assumption)
        loaded.lineage[name] = "carry"
        return
    # override: properties replace the inherited ones of the same key, others are kept
    keys = {(p.key, p.is_binding) for p in decl.body}
    body = tuple(p for p in target.body if (p.key, p.is_binding) not in keys) + decl.body
    new_name = decl.new_name or name
    value = target.value
    if decl.value is not None:
        if target.kind != "parameter":
            diagnostics.error(f"override {name} = …: only a parameter has a value to override; '{name}' is {a(target.kind)}",
                              decl.value.span, hint=f"change its properties instead: override {name} {{ … }}")
        value = decl.value
    merged = replace(target, name=new_name, body=body, span=decl.span, value=value)
    loaded.carried.pop(name, None)
    if new_name != name:
        if new_name in loaded.decls:
            diagnostics.error(f"override {name} as {new_name}: '{new_name}' already exists", decl.span)
            return
        del loaded.decls[name]
        loaded.lineage.pop(name, None)
        loaded.lineage[new_name] = f"renamed:{name}"
    else:
        loaded.lineage[name] = "override"
    loaded.decls[new_name] = merged


def _require_decisions(loaded: Loaded, diagnostics: Diagnostics) -> None:
    campaign = loaded.campaign
    undecided = sorted(n for n, how in loaded.lineage.items()
                       if how == "inherited" and loaded.decls[n].kind in RULE_KINDS)
    for name in undecided:
        decl = loaded.decls[name]
        diagnostics.error(
            f"{decl.kind} '{name}' is inherited from {loaded.base_name} but campaign '{campaign.name}' "
            f"neither overrides, carries nor drops it",
            campaign.span,
            hint=f"say what the new documents decide: 'override {name} {{ … }}', "
                 f"'carry {name} {{ assumption: \"…\" }}' or 'drop {name} {{ reason: \"…\" }}'",
        )


def _text(prop: ast.Property | None) -> str:
    if prop is None:
        return ""
    value = prop.value
    return value.value if isinstance(value, ast.Text) else ""


def _show(path: Path) -> str:
    """A path as the author typed it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
