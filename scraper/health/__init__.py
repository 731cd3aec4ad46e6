"""The health report of unattended crawls (``scraper report``): what the state file and the output folder
say about each source and each run, as a model, a JSON file and a static HTML page.

:mod:`scraper.health.state` reads the state file (read-only), :mod:`scraper.health.output` the output folder,
:mod:`scraper.health.gather` puts them together in a :class:`~scraper.health.model.HealthReport`, and
:mod:`scraper.health.html` renders it. The keys of ``report.json`` (``HealthReport.model_dump_json``):

``schema_version``
    ``1`` (keys are added, never renamed).
``generated``
    The report's time, ISO 8601 KST; the 30-day window ends on its day.
``out_dir``, ``state_path``
    What was read.
``days``
    The window: the 30 KST days ending on ``generated``'s day, oldest first (``YYYY-MM-DD``).
``broken``
    Names of the sources whose latest run reported ``status: "source_broken"`` (their list pages have held
    no items for several runs in a row).
``sources``
    One object per source (any source named in a run summary, the state's items or the output folder),
    broken first, then failed, no_items, ok, each group by name:

    ``name``; ``status``: ``ok | failed | no_items | source_broken`` from the latest run that had the source
    (summaries written before crawls reported a status: ``failed`` when it had a ``source_error``, else
    ``ok``), ``never_run`` when no finished run had it; ``status_reported``: whether the summary carried it;
    ``last_run`` (``{"id", "started", "finished"}`` or null); ``last_error``: that run's ``source_error``;
    ``last_success``, ``last_success_run``: time (``finished``, else ``started``) and id of the latest run
    whose summary shows the source without ``source_error`` (and not ``failed``/``source_broken``);
    ``no_items_runs``, ``given_up``: the latest summary's values (0 and null when it has none);
    ``items``: written items in the state; ``new_per_day``: items first seen on each day of ``days``
    (aligned with it); ``new_30_days``: their sum; ``failing_items``: items waiting to be tried again,
    ``given_up_items``: items tried ``max_attempts`` times and given up (the state's ``failures`` table);
    ``error_kinds``, ``error_kinds_30_days``: counts per ``error.kind`` of ``errors.jsonl`` lines, all and
    within the window; ``errors_total``; ``recent_errors``: the 5 newest lines ``{"time", "url", "kind",
    "message"}``, newest first;
    ``records``: record lines in ``OUT/<source>/**/*.jsonl`` (each revision counts); ``extractors``:
    counts per record ``extractor``; ``warnings``: counts per record warning; ``profile_missed``: records
    with warning ``profile_missed``; ``profile_missed_rate``: that over ``records`` (null with none);
    ``attachments``, ``attachment_failures``: attachments on the records, and those with an ``error``;
    ``recent_attachment_failures``: up to 5 ``{"record_url", "name", "url", "error"}``;
    ``unreadable_lines``: output lines that are no JSON object (a cut line, a foreign file);
    ``republished_releases``: the source's releases that news copies link to (the link output's
    ``groups.jsonl``, see ``links``), ``republished_by``: how many copies link to them in all,
    ``republished``: one object per such release, most copies first: ``release_id``, ``url``, ``title``,
    ``organization`` (as in ``groups.jsonl``) and ``republished_by``, the news copies linked to that release.
``runs``
    The newest runs (at most ``HealthReport.RUNS_SHOWN``), newest first: ``id``, ``started``,
    ``finished`` (null: still running, or killed), ``duration_seconds`` (null when unknown or negative),
    ``requests``, ``new``, ``updated``, ``unchanged``, ``errors``, ``list_pages`` (totals of the summary; null
    without one), ``sources``: how many sources it had, ``failed_sources``: names of sources with a
    ``source_error`` or a failed/source_broken status, ``summary_readable``: false when the summary is no
    JSON object.
``runs_total``
    How many runs the state records.
``links``
    The link output read (``scraper links --out DIR``, ``crawl --links DIR``; ``--links``, default
    ``OUT/_links``): ``dir``; ``found``: whether its ``groups.jsonl`` exists; ``releases``: releases with
    copies in it; ``republished_by``: copies in all; ``unmatched_releases``: those releases whose record is in
    no source of this output folder (counted here only); ``unreadable_lines``: lines of ``groups.jsonl`` that
    are no group.
"""
