"""WARC files read back: re-extraction (:mod:`scraper.replay.extract`), CDXJ index and WACZ package
(:mod:`scraper.replay.package`)."""
