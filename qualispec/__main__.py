from qualispec.runtime.cli.main import main

raise SystemExit(main())
