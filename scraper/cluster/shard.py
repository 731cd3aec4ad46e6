"""Which crawl actor owns which host: rendezvous (highest random weight) hashing, a pure function of the host and
the actors' names (Thaler and Ravishankar, "Using name-based mappings to increase hit rates", IEEE/ACM ToN 1998).

Each host goes to the actor whose ``blake2b(actor, host)`` score is highest: the same on every machine and in
every run (no Python ``hash()`` salt), about ``1/n`` of the hosts per actor, and adding an actor moves only the
hosts it now wins (about ``1/(n+1)`` of them) while removing one moves only its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence


def score(actor: str, host: str) -> int:
    """The weight of ``host`` on ``actor``: the first 8 bytes of ``blake2b(actor NUL host)``, big-endian.

    >>> score("actor-0", "www.gangjin.go.kr") == score("actor-0", "www.gangjin.go.kr")
    True
    """
    digest = hashlib.blake2b(f"{actor}\0{host}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def owner(host: str, actors: Sequence[str]) -> str:
    """The actor of ``actors`` that owns ``host`` (the highest score; ties, which need a 64-bit collision, to the
    first name in sort order). Raises ``ValueError`` when ``actors`` is empty.

    >>> owner("www.gangjin.go.kr", ["a"])
    'a'
    """
    if not actors:
        raise ValueError("no actor to own a host")
    return max(sorted(actors), key=lambda actor: score(actor, host))


def shard(hosts: Iterable[str], actors: Sequence[str]) -> dict[str, list[str]]:
    """Every host of ``hosts`` under its owner: ``{actor: [host, ...]}`` with every actor present (maybe with no
    host), hosts in the order given, each once. Raises ``ValueError`` when ``actors`` is empty."""
    shards: dict[str, list[str]] = {actor: [] for actor in actors}
    seen: set[str] = set()
    for host in hosts:
        if host not in seen:
            seen.add(host)
            shards[owner(host, actors)].append(host)
    return shards


__all__ = ["owner", "score", "shard"]
