"""The README's two commands are what a newcomer types on a stock Debian, and CI runs exactly them.

A stock Debian's python3 refuses ``pip install`` outside a virtual environment (PEP 668), so the first
line must create one before installing; ``.ci/run`` must take its commands from the README itself,
not from a copy that could drift.
"""

from __future__ import annotations

import re
import subprocess

from conftest import ROOT


def _readme_block() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^```bash\n(.*?)^```", text, re.S | re.M)
    assert block, "the README has no ```bash block"
    return block.group(1).strip("\n").split("\n")


def test_the_first_line_creates_its_own_environment_before_installing():
    install, tests = _readme_block()
    assert install.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install -e . && qualispec eval ")
    assert tests.startswith(". .venv/bin/activate && ") and "python -m pytest" in tests


def test_ci_runs_exactly_the_readme_lines():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    extract = re.search(r"readme_lines=\$\((awk .*?)\)\n", script)
    assert extract, ".ci/run does not read its commands from the README"
    lines = subprocess.run(["bash", "-c", extract.group(1)], cwd=ROOT, capture_output=True, text=True, check=True)
    assert lines.stdout.strip("\n").split("\n") == _readme_block()
    assert 'bash -euo pipefail -c "$line"' in script
    assert "pip install" not in script.replace("$line", ""), "CI installs only through the README's lines"
