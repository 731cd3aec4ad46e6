"""Incremental-crawl state: the SQLite file (default, :class:`StateStore`) or a PostgreSQL database shared by
several crawl processes (:class:`~scraper.sinks.state.postgres.PostgresState`, ``--state postgresql://...``).

- :mod:`.model`: the values (walks, items, pending writes);
- :mod:`.store`: :class:`StateBase`, every query, written once for both backends (two-phase writes, recovery);
- :mod:`.sqlite` / :mod:`.postgres`: the connections and schemas (psycopg imported only by the latter);
- :mod:`.leases`: host leases, so that several processes never send one host two requests at once;
- :mod:`.spec`: ``--state`` parsing and :func:`open_store`; :mod:`.migrate`: SQLite -> PostgreSQL copy.
"""

from scraper.sinks.state.model import ItemRevision, ItemState, PendingWrite, Seen, WalkState
from scraper.sinks.state.spec import is_postgres, open_store, parse_state, state_errors
from scraper.sinks.state.sqlite import StateStore
from scraper.sinks.state.store import TABLES, StateBase

__all__ = ["TABLES", "ItemRevision", "ItemState", "PendingWrite", "Seen", "StateBase", "StateStore", "WalkState",
           "is_postgres", "open_store", "parse_state", "state_errors"]
