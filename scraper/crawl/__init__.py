"""The crawl: list pages -> new items -> fetch -> extract -> write -> mark, per source, for cron.

- :mod:`scraper.crawl.plan`: walk planning (which list page next, when a walk ends), pure;
- :mod:`scraper.crawl.crawler`: the walk of one source's list pages (the crawl frontier);
- :mod:`scraper.crawl.items`: the fetch -> extract -> write -> mark of each batch of view pages;
- :mod:`scraper.crawl.reconcile`: the state settled against the output folder (crash recovery, rebuild);
- :mod:`scraper.crawl.run`: :func:`~scraper.crawl.run.run_crawl`, one run with its locks and fetcher;
- :mod:`scraper.crawl.clock`: the current time.
"""
