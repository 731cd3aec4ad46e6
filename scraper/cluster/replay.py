"""WARC re-extraction on Ray (``scraper warc extract --ray [ADDRESS]``): each unit of work
(:mod:`scraper.replay.units`) is a Ray task returning its result and lines; the driver writes them into the parts
folder as they come, in plan order, so the output is a one-process run's and a killed driver resumes from the
finished units (``--parts DIR``). A task whose worker dies is retried by Ray (``max_retries``); the WARC files
must be readable at the same path on every machine (a shared folder)."""

from __future__ import annotations

from collections.abc import Generator

from scraper.cluster.ray_env import connect
from scraper.replay.extract import ReplayJob
from scraper.replay.parts import Parts, UnitResult
from scraper.replay.run import Runner, run_unit
from scraper.replay.units import Unit

MAX_RETRIES = 3
"""Attempts Ray makes again at a unit whose worker process died (a unit's work is idempotent)."""


def cluster_cpus(address: str | None = None) -> int:
    """The CPUs of the Ray cluster at ``address`` (joined, see :func:`~scraper.cluster.ray_env.connect`): the
    workers the units are sized for. Raises :class:`~scraper.errors.ConfigError` when Ray is missing."""
    return max(1, int(connect(address).cluster_resources().get("CPU", 1)))


def ray_runner(address: str | None = None) -> Runner:
    """A runner of Ray tasks on the cluster at ``address`` (see :func:`~scraper.cluster.ray_env.connect`)."""

    def run(units: list[Unit], job: ReplayJob, parts: Parts) -> Generator[Unit, None, None]:
        if not units:
            return
        ray = connect(address)
        task = ray.remote(run_unit).options(max_retries=MAX_RETRIES)
        job_ref = ray.put(job)
        refs = [task.remote(unit, job_ref) for unit in units]
        try:
            for unit, ref in zip(units, refs, strict=True):
                result, lines = ray.get(ref)
                parts.save(unit, UnitResult.from_json(result), lines)
                yield unit
        finally:
            for ref in refs:
                ray.cancel(ref)

    return run


__all__ = ["MAX_RETRIES", "cluster_cpus", "ray_runner"]
