"""Onboarding boards: a ``[[source]]`` stanza proposed from one list page (:mod:`scraper.onboard.propose`)
and the health check of configured sources (:mod:`scraper.onboard.check`), used by ``scraper sources``."""
