"""Limits that protect the machine from a spec that is too big, too deep or too slow to prove.

Each one is far above what a real campaign needs (the shipped specs: files under 40 kB,
expressions nested at most 14 levels, numbers of at most 12 digits, extends chains of 2)
and each has its own message, in French, naming the file, line and column. The README
lists them; change them here only.
"""

MAX_SPEC_BYTES = 1_000_000  # one .spec file; a bigger file is refused before it is read
MAX_CAMPAIGN_BYTES = 4_000_000  # all the .spec files of one campaign folder (2 000 indicators: 0,6 MB)
MAX_NESTING = 100  # levels of a declaration's syntax tree (parentheses, operators, if, not)
MAX_NUMBER_DIGITS = 40  # digits of one number written in a spec
MAX_SYNTAX_ERRORS = 50  # per file: after that the file is abandoned, the rest is not read
MAX_EXTENDS_CHAIN = 20  # campaigns in one `extends` chain
MAX_EXTENDS_CHARS = 200  # characters of the path an `extends` names
MAX_MESSAGE_CHARS = 400  # a message, a value or a source line is cut beyond this
SOLVER_TIMEOUT_MS = 10_000  # one question to the solver (overlap or gap of a field's groups)
