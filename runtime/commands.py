"""Commands beyond check/graph/inputs, each defined next to the code it drives.

Each module listed here has a ``register(subparsers)`` function that adds its
command(s) to the ``qualispec`` parser.
"""

from importlib import import_module

MODULES = [
    "qualispec.runtime.cmd_diff",  # diff (rules, payouts, cases)
    "qualispec.runtime.cmd_docs",  # docs (fiches, campaign pages, offline HTML site)
    "qualispec.runtime.cmd_eval",  # eval, explain, example-data, test
]


def _load():
    for name in MODULES:
        try:
            yield import_module(name).register
        except ModuleNotFoundError as error:
            if error.name != name:  # a real missing dependency, not a command still being written
                raise


REGISTER = list(_load())
