#!/usr/bin/env python3
"""Benchmark of republication linking (``scraper links``): precision and recall on a labelled set made from
real releases, beside trafilatura's simhash; and the time to link 100,000 records. Not a timed test.

Usage: .venv/bin/python scripts/bench_links.py [--records 100000] [--skip-scale] [--json out.json]
(needs ../shared next to the checkout; the signature-speed line also times datasketch when it is installed:
``pip install -e '.[bench]'``).

How the labelled set is made (all from ../shared/corpus/real, seeded, so every run builds the same set):

- **Releases**: every gov view page with a gold body (title, body, URL from its meta), and the press releases
  among the attachments (기획재정부's three quarterly 해외직접투자 releases — one template, one body, three
  quarters —, 문화체육관광부, K-water), read with the project's own HWP/HWPX reader. All releases are dated
  within four days of each other, so the date window does not do the work the text must do.
- **Same-template releases of other bodies** (hard negatives, added to the releases): for each gov release a
  twin "of another body": its organization's names swapped for another 시·군's, every number changed, and
  every other paragraph replaced by a paragraph of a news page of the corpus (its own news: text of no
  release) — the shape of the
  evaluation and event releases many 시·군 send on one template.
- **Republished copies** (positives), for every release and twin: ``verbatim`` (the body as is; and with a
  lead paragraph and a byline added), ``edited`` (a lead and byline added and a third of the paragraphs
  dropped; paragraphs reordered; quotes shortened to their first half; the headline rewritten and a local
  angle of two paragraphs added; all of these at once; the lead's first sentence rewritten, quotes shortened
  and the middle paragraph dropped), ``partial`` (the first 40 % of the paragraphs under
  a lead of its own). Half of them carry the release's organization as ``credited_organization`` (a
  ``출처: ... 보도자료`` line), as local papers do. Each copy is dated 0–3 days after its release.
- **Unrelated articles** (negatives): every news page of the corpus (gold bodies), dated in the same days.

A copy's gold link is its own release only; any other link it gets (to its release's twin, to another
quarter of 기획재정부's series) counts as a false positive. Precision is over every link predicted; recall is
per kind of copy. trafilatura's ``Simhash`` (64-bit, whitespace tokens) is scored on the same pairs: a pair is
a link when the similarity reaches the threshold (0.77, 0.85, 0.9 and its best-F1 threshold on this set).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

from scraper.attachments.enrich import body_from_text  # noqa: E402
from scraper.attachments.read import extract as read_attachment  # noqa: E402
from scraper.links.index import LinkIndex  # noqa: E402
from scraper.links.run import LinkRun, link_records  # noqa: E402
from scraper.links.signature import minhash, shingle_strings  # noqa: E402
from scraper.normalize.organizations import registry  # noqa: E402

ATTACHMENT_RELEASES = {
    "moef_fdi_2024q1_press.hwp": "기획재정부", "moef_fdi_2025q1_press.hwpx": "기획재정부",
    "moef_fdi_2025q2_press.hwpx": "기획재정부", "mcst_olympic_team_press_20240102.hwpx": "문화체육관광부",
    "kwater_bonghwa_dam_press.hwp": "한국수자원공사",
}
DAYS = ["2026-02-02", "2026-02-03", "2026-02-04", "2026-02-05"]
LEADS = ["[한빛일보=김민수 기자] 지역 행정 소식을 전합니다.", "지역 주민들의 관심이 모이고 있다.",
         "(전남=뉴스투데이) 이정훈 기자 = 다음은 관련 소식이다."]
BYLINE = "박지영 기자 jy.park@hanbitnews.kr"
LOCAL = ["이 소식을 들은 읍내 상인들은 반가운 표정을 지었다. 한 상인은 손님이 늘었으면 좋겠다고 했다.",
         "지역 시민단체는 사업의 취지에는 공감하지만 예산 집행 과정을 꼼꼼히 지켜보겠다는 입장을 밝혔다."]


def _gov_releases() -> list[dict[str, Any]]:
    out = []
    for gold_path in sorted((SHARED / "corpus/real/gov").glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        meta = json.loads(Path(str(gold_path).replace(".gold.json", ".meta.json")).read_text(encoding="utf-8"))
        if not gold.get("body"):
            continue
        org = re.sub(r"\s*\(.*", "", meta.get("org") or "").removesuffix("청") or None
        out.append({"id": "rel-" + gold_path.name[:3], "kind": "press_release", "url": meta.get("original_url"),
                    "title": gold.get("title"), "body": gold["body"], "organization": org})
    return out


def _attachment_releases() -> list[dict[str, Any]]:
    out = []
    for name, org in ATTACHMENT_RELEASES.items():
        data = (SHARED / "corpus/real/attachments" / name).read_bytes()
        body = [p for p in body_from_text(read_attachment(data).text) if len(p) > 15]
        out.append({"id": "rel-" + name.split(".")[0], "kind": "press_release", "url": None, "title": body[0],
                    "body": body[1:], "organization": org})
    return out


def _news_paragraphs() -> list[str]:
    """Paragraphs of the corpus's news pages (pages of the labelled set's unrelated articles, never copies)."""
    out = []
    for gold_path in sorted((SHARED / "corpus/real/news").glob("*.gold.json")):
        out += json.loads(gold_path.read_text(encoding="utf-8")).get("body") or []
    return out


def _short(org: str | None) -> list[str]:
    """Names a release uses for its body: 강진군 -> 강진군, 강진 (to be swapped in a twin)."""
    if not org:
        return []
    stem = re.sub(r"(특별자치도|특별자치시|광역시|특별시|시|군|구|도)$", "", org.split()[-1])
    return [org.split()[-1], stem] if stem and stem != org.split()[-1] else [org.split()[-1]]


def _twin(release: dict[str, Any], other: list[str], rng: random.Random, new_org: str) -> dict[str, Any]:
    """A same-template release of another body (see the module docstring)."""
    names = _short(release["organization"])
    new_names = _short(new_org)

    def swap(text: str) -> str:
        for old, new in zip(names, new_names, strict=False):
            text = text.replace(old, new)
        return re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), text)

    body = [swap(p) if i % 2 == 0 else swap(other[i % len(other)]) for i, p in enumerate(release["body"])]
    return {**release, "id": release["id"] + "-twin", "body": body, "organization": new_org,
            "url": None, "title": swap(release["title"] or "")}


def _shorten_quotes(paragraph: str) -> str:
    return re.sub(r"[“\"]([^”\"]{12,})[”\"]", lambda m: "“" + m.group(1)[: len(m.group(1)) // 2] + "”", paragraph)


def _rewrite_first(paragraph: str) -> str:
    """The lead paragraph told by the reporter: its first sentence replaced by one of the paper's own."""
    rest = re.split(r"(?<=다\.)\s+", paragraph, maxsplit=1)
    return "지역의 오랜 숙원이 풀릴 전망이다. " + (rest[1] if len(rest) > 1 else "")


def _copies(release: dict[str, Any], rng: random.Random) -> list[tuple[str, list[str], str | None]]:
    """(label, body, title) of every republished copy of ``release``."""
    body = list(release["body"])
    n = len(body)
    lead = rng.choice(LEADS)
    keep = sorted(rng.sample(range(n), max(1, n - n // 3))) if n > 2 else list(range(n))
    reordered = body[:1] + body[1:][::-1] if n > 2 else body[::-1]
    title = "[지역] " + (release["title"] or "")[::-1][:20]
    return [
        ("verbatim", body, release["title"]),
        ("verbatim", [lead, *body, BYLINE], release["title"]),
        ("edited", [lead, *(body[i] for i in keep), BYLINE], release["title"]),
        ("edited", [lead, *reordered], release["title"]),
        ("edited", [_shorten_quotes(p) for p in body], release["title"]),
        ("edited", [lead, *body, *LOCAL], title),
        ("edited", [lead, *(_shorten_quotes(body[i]) for i in keep), *LOCAL, BYLINE], title),
        ("edited", [_rewrite_first(body[0]), *(_shorten_quotes(p) for p in body[1:] if p != body[n // 2]), BYLINE],
         title),
        ("partial", [lead, *body[: max(1, (n * 4) // 10)], LOCAL[0]], title),
    ]


def build_set(seed: int = 12) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, tuple[str, str]]]:
    """(releases, articles, gold) where gold maps an article id to (its release id, its label); unrelated
    articles are not in gold."""
    rng = random.Random(seed)
    releases = _gov_releases()
    locals_ = [o.name for o in registry() if o.kind == "local"]
    own = [p for p in _news_paragraphs() if len(p) > 80]  # a twin's own paragraphs: text of no release
    twins = [_twin(r, own[i * 7:], rng, rng.choice(locals_)) for i, r in enumerate(releases)]
    releases = releases + twins + _attachment_releases()
    for release in releases:
        release["published"] = rng.choice(DAYS)
    articles, gold = [], {}
    for release in releases:
        for number, (label, body, title) in enumerate(_copies(release, rng)):
            article_id = f"{release['id']}-copy{number}"
            credited = release["organization"] if number % 2 else None
            day = DAYS.index(release["published"]) + rng.randint(0, 3)
            articles.append({"id": article_id, "kind": "news_article", "title": title, "body": body,
                             "url": f"https://news.example/{article_id}", "credited_organization": credited,
                             "published": f"2026-02-{2 + day:02d}"})
            gold[article_id] = (release["id"], label)
    for gold_path in sorted((SHARED / "corpus/real/news").glob("*.gold.json")):
        news = json.loads(gold_path.read_text(encoding="utf-8"))
        if news.get("body"):
            articles.append({"id": "news-" + gold_path.name[:3], "kind": "news_article", "title": news.get("title"),
                             "body": news["body"], "url": None, "published": rng.choice(DAYS)})
    return releases, articles, gold


def score(predicted: set[tuple[str, str]], gold: dict[str, tuple[str, str]]) -> dict[str, float]:
    """Precision over all predicted (release, article) pairs; recall per label."""
    truth = {(rel, art) for art, (rel, _) in gold.items()}
    tp = len(predicted & truth)
    out = {"links": float(len(predicted)), "precision": tp / len(predicted) if predicted else 1.0}
    for label in ("verbatim", "edited", "partial"):
        pairs = {(rel, art) for art, (rel, lab) in gold.items() if lab == label}
        out[f"recall_{label}"] = len(pairs & predicted) / len(pairs) if pairs else 1.0
    return out


def ours(releases: list[dict[str, Any]], articles: list[dict[str, Any]]) -> tuple[set[tuple[str, str]], float]:
    """The links ``scraper links`` finds (releases first, then articles, as a crawl would give them)."""
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        with LinkIndex(Path(tmp) / "links.sqlite") as index:
            link_records(index, [*releases, *articles], LinkRun(), keep=False)
            pairs = {(r, a) for r, a, *_ in index.links()}
        return pairs, time.perf_counter() - started


def simhash_pairs(releases: list[dict[str, Any]], articles: list[dict[str, Any]]) -> list[tuple[float, str, str]]:
    """trafilatura's simhash similarity of every (release, article) pair."""
    from trafilatura.deduplication import Simhash

    hashes = {r["id"]: Simhash(" ".join(r["body"])) for r in releases}
    out = []
    for article in articles:
        sim = Simhash(" ".join(article["body"]))
        out += [(sim.similarity(h), rid, article["id"]) for rid, h in hashes.items()]
    return out


def simhash_scores(pairs: list[tuple[float, str, str]], gold: dict[str, tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    best: tuple[float, float] = (-1.0, 0.0)
    for threshold in sorted({round(s, 4) for s, _, _ in pairs}):
        got = score({(r, a) for s, r, a in pairs if s >= threshold}, gold)
        recall = (got["recall_verbatim"] + got["recall_edited"]) / 2
        f1 = 2 * got["precision"] * recall / (got["precision"] + recall) if got["precision"] + recall else 0.0
        if f1 > best[0]:
            best = (f1, threshold)
    for threshold in (0.77, 0.85, 0.9, best[1]):
        out[f"{threshold:.4g}"] = score({(r, a) for s, r, a in pairs if s >= threshold}, gold)
    out["best_threshold"] = best[1]
    return out


def _mutate(sentence: str, vocab: list[str], rng: random.Random) -> str:
    words = sentence.split()
    return " ".join(rng.choice(vocab) if rng.random() < 0.4 else w for w in words)


def scale(records: int, seed: int = 5) -> dict[str, float]:
    """Time to link ``records`` synthetic records (30 % releases; 60 % of the articles edited copies), to reopen
    the index, and to add 1,000 more records to it."""
    rng = random.Random(seed)
    releases, articles, _ = build_set()
    sentences = [s for r in releases + articles for p in r["body"] for s in re.split(r"(?<=다\.)\s+", p) if len(s) > 20]
    vocab = sorted({w for s in sentences for w in s.split()})

    def make(n: int, start: int) -> list[dict[str, Any]]:
        out, pool = [], []
        for i in range(start, start + n):
            if rng.random() < 0.3 or not pool:
                body = [_mutate(rng.choice(sentences), vocab, rng) for _ in range(rng.randint(6, 14))]
                pool.append(body)
                out.append({"id": f"r{i}", "kind": "press_release", "body": body, "published": rng.choice(DAYS)})
            else:
                source = rng.choice(pool[-2000:])
                body = (["지역 소식이다.", *source[: len(source) - 2]] if rng.random() < 0.6
                        else [_mutate(rng.choice(sentences), vocab, rng) for _ in range(rng.randint(5, 12))])
                out.append({"id": f"a{i}", "kind": "news_article", "body": body, "published": DAYS[-1]})
        return out

    data = make(records, 0)
    more = make(1000, records)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "links.sqlite"
        started = time.perf_counter()
        with LinkIndex(path) as index:
            run = LinkRun()
            link_records(index, data, run, keep=False)
        first = time.perf_counter() - started
        started = time.perf_counter()
        with LinkIndex(path) as index:
            reopened = time.perf_counter() - started
            started = time.perf_counter()
            link_records(index, more, LinkRun(), keep=False)
            incremental = time.perf_counter() - started
        size = path.stat().st_size
    return {"records": records, "link_seconds": round(first, 1), "links": run.links,
            "reopen_seconds": round(reopened, 2), "add_1000_seconds": round(incremental, 2),
            "index_mb": round(size / 2**20, 1)}


def signature_speed(releases: list[dict[str, Any]]) -> dict[str, float]:
    """Milliseconds per body for the MinHash: rensa (ours) and, when installed, datasketch."""
    bodies = [r["body"] for r in releases] * 10
    started = time.perf_counter()
    for body in bodies:
        minhash(body)
    out = {"rensa_ms": round((time.perf_counter() - started) / len(bodies) * 1000, 3)}
    try:
        from datasketch import MinHash
    except ImportError:
        return out
    started = time.perf_counter()
    for body in bodies:
        sketch = MinHash(num_perm=128)
        sketch.update_batch([s.encode("utf-8") for s in shingle_strings(body)])
    out["datasketch_ms"] = round((time.perf_counter() - started) / len(bodies) * 1000, 3)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    releases, articles, gold = build_set()
    print(f"labelled set: {len(releases)} releases ({sum(r['id'].endswith('-twin') for r in releases)} twins), "
          f"{len(articles)} articles ({len(gold)} copies, {len(articles) - len(gold)} unrelated)")
    pairs, seconds = ours(releases, articles)
    result: dict[str, Any] = {"ours": score(pairs, gold), "ours_seconds": round(seconds, 2)}
    result["simhash"] = simhash_scores(simhash_pairs(releases, articles), gold)
    result["signature"] = signature_speed(releases)
    truth = {(rel, art) for art, (rel, _) in gold.items()}
    result["ours_false_positives"] = sorted(f"{r} -> {a}" for r, a in pairs - truth)
    result["ours_missed"] = sorted(f"{r} -> {a} ({gold[a][1]})" for r, a in truth - pairs)
    print(f"{'method':<28} {'links':>6} {'precision':>9} {'R verbatim':>10} {'R edited':>9} {'R partial':>9}")
    rows = [("scraper links", result["ours"])]
    rows += [(f"trafilatura simhash >= {t}", v) for t, v in result["simhash"].items() if isinstance(v, dict)]
    for name, row in rows:
        print(f"{name:<28} {int(row['links']):>6} {row['precision']:>9.3f} {row['recall_verbatim']:>10.3f} "
              f"{row['recall_edited']:>9.3f} {row['recall_partial']:>9.3f}")
    print(f"simhash best-F1 threshold on this set: {result['simhash']['best_threshold']}")
    print(f"false positives: {result['ours_false_positives']}")
    print(f"missed: {result['ours_missed']}")
    print(f"signature: {result['signature']}")
    if not args.skip_scale:
        result["scale"] = scale(args.records)
        print(f"scale: {result['scale']}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
