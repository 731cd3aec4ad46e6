"""Sources writer for ../shared/bench/crawl/run.py: ``--sources-writer scripts.crawlbench_sources:write_sources``.

Writes the synthetic board of ``site.py`` (``/board/list.do?page=N``, 20 rows a page, pinned
``tr.notice`` 공지 rows, ``/board/view.do?nttId=ID``) in this project's sources format.
"""

from __future__ import annotations

import json


def write_sources(path: str, hosts: list[str], orgs: list[str], item_selector: str | None = None) -> None:
    """One ``[[source]]`` per host; ``item_selector`` (the bench's own link selector) is not needed."""
    out = ["# crawlbench boards in scraper's sources format (scraper/sources/board.py)", ""]
    for i, base in enumerate(hosts):
        out += [
            "[[source]]",
            f"name = {json.dumps(f'h{i + 1:02d}-press')}",
            f"organization = {json.dumps(orgs[i], ensure_ascii=False)}",
            'kind = "press_release"',
            f"list_url = {json.dumps(base + '/board/list.do')}",
            "[source.paging]",
            'method = "get"',
            'param = "page"',
            "[source.items]",
            'item = "table.board-list tbody tr"',
            'link = ["td.subject a"]',
            'date = ["td:nth-child(4)"]',
            'pinned = "tr.notice"',
            'id_param = "nttId"',
            "",
        ]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(out))
