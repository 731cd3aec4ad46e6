"""Archive feed: the fetches of a run as WARC/1.1 files (:mod:`scraper.archive.warc`)."""
