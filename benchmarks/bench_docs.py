"""How long `qualispec docs PATH --out DIR` takes, against writing the same files with no rendering.

    python benchmarks/bench_docs.py [PATH] [--runs N]
    python benchmarks/bench_docs.py --indicators 2000      # a synthetic campaign of 2 000 indicators

Prints, best of N (default 3): the whole command as a user runs it (a fresh process, a new empty
folder each time); the same command run again over its own output with nothing changed, and after
one .spec file was touched (a comment added: that campaign, and those that extend it, built again);
the baseline, a fresh process that starts Python, imports the compiler and
writes the very same files (same paths, same bytes) without compiling or rendering anything —
the floor of any ``docs``; and, in process, the share of the time spent laying out the dependency
pictures with Graphviz and drawing the valuation curves.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITE_ONLY = """
import pickle, sys
from pathlib import Path
import qualispec.compiler.pipeline, qualispec.runtime.cli.main  # what docs imports before any work
files = pickle.loads(Path(sys.argv[1]).read_bytes())
out = Path(sys.argv[2])
for rel, data in files.items():
    target = out / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
"""


def best_of(fn, n: int) -> float:
    best = float("inf")
    for _ in range(n):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def in_process(args):
    """Time of the dependency pictures (laid out together by dot) and of the curves (matplotlib)."""
    from qualispec.compiler.diagnostics import Diagnostics
    from qualispec.compiler.fiches import dependencies, plots
    from qualispec.compiler.fiches.build import build_site, find_bases
    from qualispec.compiler.pipeline import compile_path

    diagnostics = Diagnostics()
    compiled = compile_path(args.path, diagnostics)
    model = build_site(compiled, find_bases(compiled, diagnostics))
    pictures = {}
    for page in model.campaigns:
        c = model.compiled[page.name]
        pictures[f"{page.name}/graphe.svg"] = dependencies.campaign_picture(c.campaign, c.graph)
        for f in page.fiches:
            if f.graph_nodes:
                pictures[f"{page.name}/{f.name}"] = dependencies.indicator_picture(c.campaign, c.graph, f.name,
                                                                               f.graph_nodes)
    layout = best_of(lambda: dependencies.render(pictures), args.runs)
    curves = [f.curve for page in model.campaigns for f in page.fiches if f.curve]
    drawing = best_of(lambda: [plots.curve_svg(c) for c in curves], args.runs)
    return len(pictures), layout, len(curves), drawing


def synthetic_campaign(folder: Path, indicators: int) -> None:
    """A campaign of ``indicators`` rate indicators, each with its numerator, denominator and target."""
    folder.mkdir(parents=True)
    parts = ['campaign big {\n  label: "Campagne synthétique"\n  scheme: "TEST"\n  year: 2024\n'
             '  assumption: "banc d\'essai"\n}\ncategory cat { label: "Catégorie" assumption: "banc" }\n']
    for i in range(indicators):
        parts.append(f'input n{i}: count {{ label: "Numérateur {i}" assumption: "banc" }}\n'
                     f'input d{i}: count {{ label: "Dénominateur {i}" assumption: "banc" }}\n'
                     f'parameter t{i}: percent = 50% {{ label: "Cible {i}" assumption: "banc" }}\n'
                     f'indicator ind{i} {{ label: "Indicateur {i}" category: cat unit: percent numerator: n{i} '
                     f'denominator: d{i} target: t{i} assumption: "banc" }}\n')
    (folder / "campaign.spec").write_text("".join(parts), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(ROOT / "specs"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--indicators", type=int, default=0, help="document a synthetic campaign of N indicators")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_docs_"))
    if args.indicators:
        synthetic_campaign(work / "specs" / "big", args.indicators)
        args.path = str(work / "specs" / "big")
    try:
        def docs():
            out = work / "site"
            shutil.rmtree(out, ignore_errors=True)
            subprocess.run(["qualispec", "docs", "-q", args.path, "--out", str(out)], check=True)

        command = best_of(docs, args.runs)
        again = best_of(lambda: subprocess.run(["qualispec", "docs", "-q", args.path, "--out", str(work / "site")],
                                               check=True), args.runs)
        copy = work / "specs-copy"
        shutil.copytree(args.path, copy)
        subprocess.run(["qualispec", "docs", "-q", str(copy), "--out", str(work / "site-copy")], check=True)
        touched = sorted(copy.rglob("*.spec"))[0]

        def one_edit():
            with touched.open("a", encoding="utf-8") as f:
                f.write("# retouché\n")
            subprocess.run(["qualispec", "docs", "-q", str(copy), "--out", str(work / "site-copy")], check=True)

        edited = best_of(one_edit, args.runs)
        files = {str(p.relative_to(work / "site")): p.read_bytes() for p in sorted((work / "site").rglob("*"))
                 if p.is_file()}
        import pickle

        (work / "files.pickle").write_bytes(pickle.dumps(files))

        def write_only():
            out = work / "copy"
            shutil.rmtree(out, ignore_errors=True)
            subprocess.run([sys.executable, "-c", WRITE_ONLY, str(work / "files.pickle"), str(out)], check=True)

        baseline = best_of(write_only, args.runs)

        pictures, layout, curves, drawing = in_process(args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    size = sum(len(b) for b in files.values())
    campaigns = sum(1 for rel in files if rel.count("/") == 1 and rel.endswith("/index.html"))
    print(f"{campaigns} campaigns, {len(files)} files, {size / 1e6:.1f} MB written (best of {args.runs})")
    print(f"qualispec docs (fresh process)              {command:7.2f} s")
    print(f"  again, nothing changed                    {again:7.2f} s")
    print(f"  again, {touched.relative_to(copy)} touched {edited:7.2f} s")
    print(f"  baseline: same files written, no render   {baseline:7.2f} s   (start-up + imports + writing)")
    print(f"in process: {pictures:3d} dependency pictures (dot)   {layout:7.2f} s")
    print(f"in process: {curves:3d} valuation curves (matplotlib) {drawing:7.2f} s")


if __name__ == "__main__":
    main()
