from liangji.cli import main

raise SystemExit(main())
