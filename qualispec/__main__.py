from qualispec.runtime.cli import main

raise SystemExit(main())
