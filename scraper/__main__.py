"""``python -m scraper`` -> the command line."""

from scraper.cli import main

raise SystemExit(main())
