"""qualispec: pay-for-quality rules as code.

The code lives in the top-level folders of the repository (see pyproject.toml):
``compiler/`` is ``qualispec.compiler``, ``runtime/`` is ``qualispec.runtime``,
``grammar/`` is ``qualispec.grammar``.
"""

__version__ = "0.1.0"
