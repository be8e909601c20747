"""How long `qualispec docs PATH --out DIR` takes, against writing the same files with no rendering.

    python benchmarks/bench_docs.py [PATH] [--runs N]
    python benchmarks/bench_docs.py --indicators 2000      # a synthetic campaign of 2 000 indicators

Prints, best of N (default 3), wall and CPU time (user + system of every process a run starts, the
money reports' included) with the load average: the whole command as a user runs it (a fresh process,
a new empty folder each time); the same command run again over its own output with nothing changed;
after one .spec file was touched (a comment added: that campaign, and those that extend it, built
again); after a campaign's title changed (that campaign built again, and the side menu of every page,
one shared script; the files and bytes rewritten are counted); the baseline, a fresh process that
starts Python, imports the compiler and writes the very same files (same paths, same bytes) without
compiling or rendering anything — the floor of any ``docs``; and, in process, the time spent laying
out the dependency pictures with Graphviz and writing the valuation curves.
"""

from __future__ import annotations

import argparse
import os
import resource
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
    return timed(fn, n)[0]


def timed(fn, n: int) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system of the child processes) of ``n`` runs of ``fn``."""
    wall = cpu = float("inf")
    for _ in range(n):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        fn()
        wall = min(wall, time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = min(cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, cpu


def dates(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def retitle(specs: Path) -> Path:
    """The .spec file declaring the first campaign of ``specs`` (by path), its title to be changed."""
    for file in sorted(specs.rglob("*.spec")):
        if 'label: "' in file.read_text(encoding="utf-8") and "campaign " in file.read_text(encoding="utf-8"):
            return file
    raise SystemExit(f"no campaign title under {specs}")


def in_process(args):
    """Time of the dependency pictures (laid out together by dot) and of the curves (SVG written from their points)."""
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

        load = os.getloadavg()[0]
        command = timed(docs, args.runs)
        again = timed(lambda: subprocess.run(["qualispec", "docs", "-q", args.path, "--out", str(work / "site")],
                                             check=True), args.runs)
        try:  # the copy keeps its place beside examples/, which the money report declarations name
            place = Path(args.path).resolve().relative_to(ROOT)
        except ValueError:
            place = Path("specs")
        copy = work / "copy" / place
        shutil.copytree(args.path, copy)
        (work / "copy" / "examples").symlink_to(ROOT / "examples")
        subprocess.run(["qualispec", "docs", "-q", str(copy), "--out", str(work / "site-copy")], check=True)
        touched = sorted(copy.rglob("*.spec"))[0]

        def one_edit():
            with touched.open("a", encoding="utf-8") as f:
                f.write("# retouché\n")
            subprocess.run(["qualispec", "docs", "-q", str(copy), "--out", str(work / "site-copy")], check=True)

        edited = timed(one_edit, args.runs)
        titled = retitle(copy)
        written: list[tuple[int, int]] = []

        def new_title():
            before = dates(work / "site-copy")
            text = titled.read_text(encoding="utf-8")
            titled.write_text(text.replace('label: "', 'label: "Nouveau titre · ', 1), encoding="utf-8")
            subprocess.run(["qualispec", "docs", "-q", str(copy), "--out", str(work / "site-copy")], check=True)
            after = dates(work / "site-copy")
            changed = [p for p, d in after.items() if before.get(p) != d and not p.startswith(".")]
            written.append((len(changed), sum((work / "site-copy" / p).stat().st_size for p in changed)))

        retitled = timed(new_title, args.runs)
        load = max(load, os.getloadavg()[0])
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
    print(f"{campaigns} campaigns, {len(files)} files, {size / 1e6:.1f} MB written (best of {args.runs}, "
          f"load average {load:.1f})")
    def row(label: str, figures: tuple[float, float], note: str = "") -> None:
        print(f"{label:<52} {figures[0]:7.2f} s {figures[1]:7.2f} s{note}")

    print(f"{'':<52} {'wall':>9} {'CPU':>9}")
    row("qualispec docs (fresh process)", command)
    row("  again, nothing changed", again)
    row(f"  again, {touched.relative_to(copy)} touched", edited)
    rewritten, rewritten_bytes = min(written)
    row(f"  again, a new title in {titled.relative_to(copy)}", retitled,
        f"   ({rewritten} files rewritten, {rewritten_bytes / 1e6:.2f} MB)")
    print(f"{'  baseline: same files written, no render':<52} {baseline:7.2f} s   (start-up + imports + writing)")
    print(f"{f'in process: {pictures} dependency pictures (dot)':<52} {layout:7.2f} s")
    print(f"{f'in process: {curves} valuation curves (SVG)':<52} {drawing:7.2f} s")


if __name__ == "__main__":
    main()
