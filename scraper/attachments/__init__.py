"""Attachments of press releases: text from HWP 5.0, HWPX and PDF files (pure readers of bytes, dispatched
by magic bytes in :mod:`~scraper.attachments.read`), run in a capped worker process
(:mod:`~scraper.attachments.sandbox`), safe file names (:mod:`~scraper.attachments.filenames`), and the
one I/O step that downloads and reads a record's files (:mod:`~scraper.attachments.enrich`)."""
