import sys

from qualispec import INTERRUPTED

try:
    from qualispec.runtime.cli.main import main
except KeyboardInterrupt:  # Ctrl-C while Python is still loading qualispec: nothing was started
    print(INTERRUPTED, file=sys.stderr)
    raise SystemExit(130)

raise SystemExit(main())
