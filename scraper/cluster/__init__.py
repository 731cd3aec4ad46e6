"""Scale-out on Ray (the optional ``cluster`` extra): WARC re-extraction units as Ray tasks
(:mod:`scraper.cluster.replay`), hosts sharded onto crawl actors by rendezvous hashing (:mod:`scraper.cluster.shard`).
Ray is imported only when a ``--ray`` run starts (:mod:`scraper.cluster.ray_env`)."""
