"""Host leases on the suite's real PostgreSQL server (``pg.py``): exclusive claims, release with the host's
delay, a round's finished hosts, a dead holder's lease taken over, a lost lease stopping its host's requests."""

from __future__ import annotations

import time

import pytest

from scraper.sinks.state import open_store, parse_state
from scraper.sinks.state.leases import HostLeases, LeaseLost

HOSTS = ["a.example:80", "b.example:80", "c.example:80"]


def test_two_processes_never_hold_one_host_and_a_finished_host_is_not_crawled_again(pg_url: str) -> None:
    open_store(parse_state(pg_url)).close()  # the tables
    with HostLeases(pg_url, 30, "one") as one, HostLeases(pg_url, 30, "two") as two:
        first, second, third = one.claim(HOSTS), two.claim(HOSTS), one.claim(HOSTS)
        assert first and second and third
        assert sorted([first.host, second.host, third.host]) == HOSTS
        assert two.claim(HOSTS) is None and one.unfinished(HOSTS)
        one.release(first, 0.0)
        two.release(second, 0.0)
        assert two.claim(HOSTS) is None  # finished in this round: not claimed again
        one.release(third, 0.0)
        assert not one.unfinished(HOSTS) and not two.unfinished(HOSTS)
    with HostLeases(pg_url, 30, "next round") as later:  # a later round crawls them again
        claimed = later.claim(HOSTS)
        assert claimed is not None and claimed.host == HOSTS[0]


def test_a_released_host_is_free_only_after_its_delay(pg_url: str) -> None:
    open_store(parse_state(pg_url)).close()
    with HostLeases(pg_url, 30, "one") as one, HostLeases(pg_url, 30, "two") as two:
        lease = one.claim(HOSTS[:1])
        assert lease is not None
        one.release(lease, 1.0, finished=False)  # given back unfinished, e.g. a lost lease
        assert two.claim(HOSTS[:1]) is None  # within the host's delay of the last request
        time.sleep(1.2)
        assert two.claim(HOSTS[:1]) is not None


def test_a_dead_holders_lease_is_taken_over_and_the_holder_stops(pg_url: str) -> None:
    open_store(parse_state(pg_url)).close()
    stalled = HostLeases(pg_url, 1.5, "stalled")  # never entered: its renewal thread never runs (a frozen process)
    lease = stalled.claim(HOSTS[:1])
    assert lease is not None
    lease.check()  # held
    with HostLeases(pg_url, 30, "other") as other:
        assert other.claim(HOSTS[:1]) is None
        time.sleep(1.7)
        with pytest.raises(LeaseLost):
            lease.check()  # no renewal for 2/3 of the lease: no further request
        taken = other.claim(HOSTS[:1])
        assert taken is not None and taken.token != lease.token
    stalled.release(lease, 0.0)  # too late: the row is the new holder's, left as it is
    with HostLeases(pg_url, 30, "third") as third:
        assert third.claim(HOSTS[:1]) is not None  # given back by "other" on exit, unfinished
    stalled.db.close()


def test_renewal_keeps_a_lease_and_finds_it_lost_once_taken(pg_url: str) -> None:
    open_store(parse_state(pg_url)).close()
    with HostLeases(pg_url, 0.9, "one") as one:
        lease = one.claim(HOSTS[:1])
        assert lease is not None
        time.sleep(2.0)  # two lease lengths: renewed every 0.3 s
        lease.check()
        with open_store(parse_state(pg_url)) as state:  # another process steals it (as after an expiry)
            state._run("UPDATE host_leases SET token = 'x' WHERE host = ?", (HOSTS[0],))
        time.sleep(0.8)
        assert lease.lost
        with pytest.raises(LeaseLost):
            lease.check()
