"""`python -m service retention`: the service's maintenance commands (`service.retention`)."""

from service.retention import main

raise SystemExit(main())
