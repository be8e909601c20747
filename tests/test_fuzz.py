"""A bounded run of the seeded fuzzer (tests/fuzz.py); `python -m tests.fuzz --cases 5000` runs many more.

Every case must hold the promise: exit 0 or 1, no traceback, done in seconds, no output after a
refusal, nothing written outside the case's folder. A failing seed is printed with its damage.
"""

from __future__ import annotations

import pytest

import fuzz


@pytest.mark.parametrize("kind", ["spec", "data"])
@pytest.mark.parametrize("block", range(4))
def test_fuzzed_inputs_get_messages_or_work(kind, block):
    outcomes = fuzz.run_cases(kind, 1000 + 15 * block, 15)
    failures = [f"seed {o.seed}: {o.how}: {o.problem}" for o in outcomes if o.problem]
    assert not failures, "\n".join(failures)
    assert {o.code for o in outcomes} <= {0, 1}
