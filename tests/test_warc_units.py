"""Re-extraction as units of work (``scraper.replay.units`` / ``run``): WARC files cut at record boundaries give,
on one process, a local pool and Ray (started here, ``ray.init(num_cpus=2)``), the lines of the whole-file run
byte for byte and in the same order, with revisits resolved across units and files; a run killed mid-way and
rerun on its parts folder skips the finished units and prints the same lines."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import signal
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from growing_board import GrowingBoard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.replay.extract import ReplayJob
from scraper.replay.run import replay_files
from scraper.replay.units import plan_units, record_offsets

NOW = "2025-06-01T09:00:00+09:00"
JOB = ReplayJob(now=NOW)


def _digest(payload: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode("ascii")


class Writer:
    """A gzipped WARC file of view pages of the growing board, a request after each response."""

    def __init__(self, path: Path) -> None:
        self.handle = path.open("wb")
        self.warc = WARCWriter(self.handle, gzip=True)
        self.board = GrowingBoard(40)
        self.ids: dict[int, str] = {}
        self.warc.write_record(self.warc.create_warcinfo_record(path.name, {"software": "test"}))

    def response(self, post: int) -> None:
        url = f"http://press.example.kr/board/view.do?id={post}"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = self.warc.create_warc_record(url, "response", payload=io.BytesIO(self.page(post)),
                                              http_headers=headers)
        self.warc.write_record(record)
        self.ids[post] = record.rec_headers.get_header("WARC-Record-ID")
        self.warc.write_record(self.warc.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n")))

    def revisit(self, post: int, refers_to: str | None, digest_of: int | None) -> None:
        url = f"http://press.example.kr/board/view.do?id={post}"
        digest = _digest(self.page(digest_of)) if digest_of is not None else "sha1:" + "A" * 32
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = self.warc.create_revisit_record(url, digest, url, "2025-05-01T00:00:00Z", http_headers=headers)
        if refers_to is not None:
            record.rec_headers.add_header("WARC-Refers-To", refers_to)
        self.warc.write_record(record)

    def page(self, post: int) -> bytes:
        return self.board.view(post).encode("utf-8")

    def close(self) -> None:
        self.handle.close()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two files: revisits referring to an earlier unit (by record id, by digest only), to a later record of the
    same file, to the other file, and to nothing."""
    tmp = tmp_path_factory.mktemp("units")
    first, second = tmp / "a.warc.gz", tmp / "b.warc.gz"
    one = Writer(first)
    for post in range(1, 31):
        one.response(post)
        if post == 10:
            one.revisit(33, "<urn:uuid:00000000-0000-0000-0000-000000000028>", 28)  # later in the file: pending
        if post == 20:
            one.revisit(3, one.ids[3], 3)  # an earlier unit, by record id
            one.revisit(5, None, 5)  # an earlier unit, by payload digest only
            one.revisit(19, one.ids[19], 19)  # the unit's own response
        if post == 25:
            one.revisit(36, "<urn:uuid:ffffffff-0000-0000-0000-000000000000>", None)  # in no file
    one.close()
    two = Writer(second)
    two.response(35)
    two.revisit(8, one.ids[8], 8)  # the first file
    two.response(36)
    two.close()
    return [first, second]


def _run(files: list[Path], **options: Any) -> str:
    out = io.StringIO()
    replay_files(files, JOB, out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def whole(files: list[Path]) -> str:
    """The one-process, whole-file run every other run must equal."""
    return _run(files)


def test_units_start_at_records_and_cover_each_file_once(files: list[Path]) -> None:
    units = plan_units(files, 2000)
    assert len(units) > 10
    for number, path in enumerate(files):
        mine = [u for u in units if u.file == number]
        assert mine[0].start == 0 and mine[-1].end == path.stat().st_size
        assert all(a.end == b.start for a, b in pairwise(mine))
        assert {u.start for u in mine} <= set(record_offsets(path))
    assert [u.index for u in units] == list(range(len(units)))
    assert len(plan_units(files, 10**9)) == 2


def test_the_whole_file_run_resolves_every_kind_of_revisit(whole: str) -> None:
    out = [json.loads(line) for line in whole.splitlines()]
    urls = [r["url"].rsplit("=", 1)[1] for r in out]
    # in file order, revisits resolved in place; those referring to a later record or another file last
    assert urls == [*map(str, range(1, 21)), "3", "5", "19", *map(str, range(21, 31)), "35", "36", "33", "8"]
    assert all("error" not in r for r in out)
    revisit = out[20]
    assert revisit["title"] == out[2]["title"] and revisit["body"] == out[2]["body"]
    assert revisit["warc"]["record_id"] != out[2]["warc"]["record_id"]


@pytest.mark.parametrize("unit_bytes", [1, 1500, 6000])
def test_any_cut_on_one_process_or_two_gives_the_same_lines(files: list[Path], whole: str, unit_bytes: int) -> None:
    assert _run(files, unit_bytes=unit_bytes) == whole
    assert _run(files, workers=2, unit_bytes=unit_bytes) == whole


def test_counts_are_those_of_the_whole_file_run(files: list[Path]) -> None:
    counts = [replay_files(files, JOB, io.StringIO(), unit_bytes=size) for size in (None, 1)]
    assert counts[0] == counts[1]
    assert (counts[0].records, counts[0].errors, counts[0].skipped) == (37, 0, {"revisit_not_found": 1})


def test_ray_tasks_give_the_same_lines(files: list[Path], whole: str, ray_cluster: Any, tmp_path: Path) -> None:
    from scraper.cluster.replay import ray_runner

    assert _run(files, runner=ray_runner(), unit_bytes=1500) == whole
    assert _run(files, runner=ray_runner(), unit_bytes=1500, parts=tmp_path / "parts") == whole
    markers = sorted((tmp_path / "parts").glob("*.done.json"))
    assert len(markers) == len(plan_units(files, 1500))
    assert _run(files, runner=ray_runner(), parts=tmp_path / "parts") == whole  # all finished: nothing run
    address = ray_cluster.get_runtime_context().gcs_address
    cli = _scraper("warc", "extract", *map(str, files), "--now", NOW, "--ray", address)  # units for its 2 CPUs
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout == whole


def _scraper(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scraper", *argv], capture_output=True, text=True, timeout=300,
                          check=False)


def test_a_killed_run_resumes_from_its_parts(files: list[Path], whole: str, tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    argv = ["warc", "extract", *map(str, files), "--now", NOW, "--unit-size", "1", "--parts", str(parts)]
    total = len(plan_units(files, 1))
    proc = subprocess.Popen([sys.executable, "-m", "scraper", *argv], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(parts.glob("*.done.json")) and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = len(list(parts.glob("*.done.json")))
    assert 0 < done < total
    again = _scraper(*argv)
    assert again.returncode == 0, again.stderr
    assert again.stdout == whole
    assert again.stderr == "scraper warc extract: 37 records, 0 errors; skipped: 1 revisit_not_found\n"
    other = _scraper("warc", "extract", *map(str, files), "--parts", str(parts))  # another job: no --now
    assert other.returncode == 2
    assert "holds another re-extraction" in other.stderr


def test_ray_missing_is_a_clear_configuration_error(files: list[Path]) -> None:
    code = ("import sys; sys.modules['ray'] = None\nfrom scraper.cli import main\n"
            f"sys.exit(main(['warc', 'extract', {str(files[0])!r}, '--ray']))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith("scraper warc extract: --ray needs Ray, which is not installed")
    assert "pip install 'korean-press-scraper[cluster]'" in proc.stderr
