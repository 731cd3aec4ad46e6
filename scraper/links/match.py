"""Is a news article a republication of a press release? Verification of an LSH candidate pair; pure.

A candidate pair (from the MinHash index) is a link when enough of the release is in the article:

- ``containment``: share of the release's shingles found in the article. A republication trims the release
  and adds a lead, a byline, a local angle, so Jaccard alone misses it; containment does not.
- the article was published 0 to ``window_days`` days after the release (by KST day; a record without a
  date is not held to the window);
- the bar depends on the organization: ``LINK_SAME_ORG`` when the article's ``credited_organization`` is the
  release's organization (both resolved by the registry), ``LINK_OTHER_ORG`` when both are known and differ
  (a release of another body on the same template), ``LINK`` otherwise;
- at least ``MIN_SHARED`` shingles are shared;
- a *partial* copy that takes a few paragraphs of a long release has a low containment but is most of the
  article: it is a link when ``article_share`` ≥ ``PARTIAL_SHARE`` and it shares at least ``PARTIAL_SHINGLES``
  shingles (one long paragraph), under the same organization rule.

Kinds: ``verbatim`` (release containment ≥ ``VERBATIM``: the whole text, perhaps with a lead or byline added),
``edited`` (containment ≥ ``EDITED``), ``partial`` (the rest). Thresholds were set on the labelled set of
``scripts/bench_links.py`` (see its docstring); they are constants here, not flags, until a second corpus
says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal
from urllib.parse import urlsplit

import numpy as np

from scraper.config import LINK_WINDOW_DAYS
from scraper.links.signature import Hashes, containment, jaccard
from scraper.normalize.organizations import organization_for_host, resolve_organization

LinkKind = Literal["verbatim", "edited", "partial"]

LINK = 0.5
LINK_SAME_ORG = 0.3
LINK_OTHER_ORG = 0.8
PARTIAL_SHARE = 0.6
PARTIAL_SHINGLES = 80
MIN_SHARED = 30
"""No link on fewer shared shingles (about 30 characters of text): a release whose page holds only a line
(``첨부파일 참조``) or a title is linked to nothing by chance."""
VERBATIM = 0.9
EDITED = 0.5
WINDOW_DAYS = LINK_WINDOW_DAYS


@dataclass(frozen=True)
class Side:
    """What verification needs of one record: ``shingles`` (sorted distinct hashes), the KST ``day`` it was
    published (``None`` when undated) and its organization's official name (``None`` when unknown)."""

    shingles: Hashes
    day: date | None
    organization: str | None


@dataclass(frozen=True)
class Verdict:
    """The scores of a pair: ``containment`` of the release in the article, ``article_share`` of the article
    made of release text, ``similarity`` (Jaccard), all 0..1; ``kind`` and ``same_org`` (the credit boost)."""

    containment: float
    article_share: float
    similarity: float
    kind: LinkKind
    same_org: bool


def day_of(published: str | None) -> date | None:
    """The KST day of an ISO ``published`` value (``None`` when missing or unreadable).

    >>> day_of("2026-02-27T13:12:07+09:00"), day_of(None), day_of("soon")
    (datetime.date(2026, 2, 27), None, None)
    """
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def canonical_organization(name: str | None, url: str | None = None) -> str | None:
    """The official name of a record's organization: ``name`` resolved by the registry, else the body of the
    URL's host, else ``name`` as given (``None`` when there is neither).

    >>> canonical_organization("강진군"), canonical_organization(None, "https://www.naju.go.kr/x")
    ('전라남도 강진군', '전라남도 나주시')
    """
    resolved = resolve_organization(name) if name else None
    if resolved:
        return resolved
    by_host = organization_for_host(urlsplit(url or "").netloc) if url else None
    return by_host or name


def in_window(release: date | None, article: date | None, window_days: int) -> bool:
    """True when the article is dated 0..``window_days`` days after the release, or either is undated."""
    if release is None or article is None:
        return True
    return 0 <= (article - release).days <= window_days


def verify(release: Side, article: Side, window_days: int = WINDOW_DAYS) -> Verdict | None:
    """The verdict on a candidate pair, or ``None`` when it is no link (see the module's rules)."""
    if not len(release.shingles) or not in_window(release.day, article.day, window_days):
        return None
    contained = containment(release.shingles, article.shingles)
    if contained < 0.1:
        return None
    shared = round(contained * len(release.shingles))
    if shared < MIN_SHARED:
        return None
    share = shared / len(article.shingles) if len(article.shingles) else 0.0
    known = release.organization is not None and article.organization is not None
    same = known and release.organization == article.organization
    bar = LINK_SAME_ORG if same else LINK_OTHER_ORG if known else LINK
    partial = share >= PARTIAL_SHARE and shared >= PARTIAL_SHINGLES and (same or not known)
    if contained < bar and not partial:
        return None
    kind: LinkKind = "verbatim" if contained >= VERBATIM else "edited" if contained >= EDITED else "partial"
    return Verdict(round(contained, 4), round(share, 4), round(jaccard(release.shingles, article.shingles), 4),
                   kind, same)


DUPLICATE = 0.1
"""A release with under this share of its shingles outside the releases already chosen is a duplicate of
them (one text posted by two bodies, a 도청 and a 군청): it is linked as well, on its own verdict."""


def choose(article: Side, verdicts: list[tuple[str, Side, Verdict]]) -> list[str]:
    """The releases an article republishes among those whose verdict is a link, best first.

    The best (highest containment; the credited organization's, then the earlier, on a tie) is taken. Each next
    one must be a link on the text the chosen ones do not explain: the share of its shingles outside them
    that the article holds must pass its organization's bar again. So a release of another body on the same
    template, or the same body's previous quarter, whose words in the article are all words of the release
    the article copies, is not linked; a roundup carrying two different releases links both.
    """
    ranked = sorted(verdicts, key=lambda v: (-v[2].containment, not v[2].same_org, v[1].day or date.max, v[0]))
    chosen: list[str] = []
    texts = covered = np.zeros(0, dtype=np.uint64)  # the chosen releases' shingles; those of them in the article
    for release_id, release, verdict in ranked:
        duplicate = len(np.setdiff1d(release.shingles, texts, assume_unique=True)) < DUPLICATE * len(release.shingles)
        if chosen and not duplicate:
            rest = np.setdiff1d(release.shingles, covered, assume_unique=True)
            bar = LINK_SAME_ORG if verdict.same_org else LINK_OTHER_ORG if _known(release, article) else LINK
            if containment(rest, article.shingles) < bar:
                continue
        chosen.append(release_id)
        texts = np.union1d(texts, release.shingles)
        covered = np.union1d(covered, np.intersect1d(release.shingles, article.shingles, assume_unique=True))
    return chosen


def _known(release: Side, article: Side) -> bool:
    return release.organization is not None and article.organization is not None
