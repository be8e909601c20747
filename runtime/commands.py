"""Commands beyond check/graph/inputs register themselves here (see cli.py)."""

REGISTER: list = []
