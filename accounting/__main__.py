"""`python -m accounting`: the automation report CLI (`accounting.cli`)."""

from accounting.cli import main

raise SystemExit(main())
