"""python -m iran_syria: the same as the iran-syria command."""

from .cli import main

raise SystemExit(main())
