"""Rendezvous hashing of hosts onto crawl actors (``scraper.cluster.shard``): stable values, balanced shards,
minimal movement when an actor is added or removed."""

from __future__ import annotations

import pytest

from scraper.cluster.shard import owner, score, shard

HOSTS = [f"www.city{i}.go.kr" for i in range(2000)]
ACTORS = [f"actor-{i}" for i in range(4)]


def test_scores_and_owners_are_fixed_values() -> None:
    assert score("actor-0", "www.gangjin.go.kr") == 17348117677213426704  # blake2b: the same on every machine
    assert owner("www.gangjin.go.kr", ["actor-0", "actor-1", "actor-2"]) == "actor-0"
    assert owner("www.gangjin.go.kr", ["actor-2", "actor-1", "actor-0"]) == "actor-0"  # order of actors: no matter


def test_every_host_once_every_actor_present() -> None:
    shards = shard([*HOSTS, HOSTS[0]], ACTORS)
    assert list(shards) == ACTORS
    assert sorted(h for hosts in shards.values() for h in hosts) == sorted(HOSTS)
    assert shard([], ACTORS) == {a: [] for a in ACTORS}
    with pytest.raises(ValueError, match="no actor"):
        shard(HOSTS, [])


def test_shards_are_balanced() -> None:
    sizes = [len(hosts) for hosts in shard(HOSTS, ACTORS).values()]
    assert sizes == [518, 483, 490, 509]
    assert all(abs(size - 500) <= 50 for size in sizes)  # within 10% of 2000 / 4


def test_adding_an_actor_moves_only_the_hosts_it_wins() -> None:
    before = {h: owner(h, ACTORS) for h in HOSTS}
    after = {h: owner(h, [*ACTORS, "actor-4"]) for h in HOSTS}
    moved = [h for h in HOSTS if before[h] != after[h]]
    assert all(after[h] == "actor-4" for h in moved)
    assert len(moved) == 380  # about 2000 / 5
    removed = {h: owner(h, ACTORS[1:]) for h in HOSTS}
    assert all(removed[h] == before[h] for h in HOSTS if before[h] != "actor-0")
