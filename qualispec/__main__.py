import sys

try:
    from qualispec.runtime.cli.main import main
except KeyboardInterrupt:  # Ctrl-C while Python is still loading qualispec: nothing was started
    print("qualispec : interrompu ; aucun fichier n'a été laissé à moitié écrit", file=sys.stderr)
    raise SystemExit(130)

raise SystemExit(main())
