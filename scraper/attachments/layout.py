"""Turning read pieces into the text layout of ``attachments[].text``; pure.

Paragraphs are lines; a table with two or more columns becomes one line per row with tab-separated
cells (a cell's own paragraphs joined with a space); a one-column table (the boxes Hancom documents put
titles and notes in) is read as ordinary paragraphs. PDF lines are re-flowed into paragraphs, keeping the
bullets of Korean government reports (□, ○, ◦, -, ※, ▶, ❍ ...) as paragraph starts.
"""

from __future__ import annotations

import re
import unicodedata

BULLETS = "□■○●◦◎❍-–※▶▷►◆◇ㅇ*•·①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮"
"""Bullet marks of Korean government reports and press releases (행정업무운영 편람 항목 기호)."""
_BULLET_RE = re.compile(
    r"^(?:[" + re.escape(BULLETS) + r"]|\d{1,2}[.)]\s|[가-하][.)]\s|\(\d{1,2}\)|\([가-하]\)|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ][.\s]"
    r"|<\s|\[|【|《|〈|붙임|별첨|참고\s*\d)"
)
_SENTENCE_END = re.compile(r"(?:[.!?。]|다|음|함|됨|임|요)[\"'”’)\]]*$")
_PAGE_NUMBER = re.compile(r"^[-–—\s]*\d{1,4}\s*[-–—]?\s*$|^-\s*\d{1,4}\s*-$|^\d{1,4}\s*/\s*\d{1,4}$")
_SPACES = re.compile(r"[^\S\t\n]+")


def clean_line(text: str) -> str:
    """NFC, every whitespace run but tabs folded to one space (U+3000 and NBSP included), stripped.

    >>> clean_line(" 보도\\u3000 자료  ")
    '보도 자료'
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip(" ")


def table_lines(rows: list[list[list[str]]], columns: int) -> list[str]:
    """Lines of one table: ``rows`` of cells, each cell a list of its paragraph lines.

    >>> table_lines([[["구분"], ["1분기"]], [["총투자"], ["150.9", "억 달러"]]], 2)
    ['구분\\t1분기', '총투자\\t150.9 억 달러']
    >>> table_lines([[["보도자료", "□ 첫 문단"]]], 1)
    ['보도자료', '□ 첫 문단']
    """
    lines: list[str] = []
    for row in rows:
        cells = [[c for c in (clean_line(p.replace("\t", " ")) for p in cell) if c] for cell in row]
        texts = [" ".join(cell) for cell in cells]
        if columns <= 1 or sum(1 for t in texts if t) <= 1 or any(_is_text_box(cell) for cell in cells):
            lines += [p for cell in cells for p in cell]
        else:
            lines.append("\t".join(texts))
    return lines


def _is_text_box(cell: list[str]) -> bool:
    """A cell holding running text (over 3 paragraphs and 300 characters): a layout box, not data."""
    return len(cell) > 3 and sum(len(p) for p in cell) > 300


def is_bullet(line: str) -> bool:
    """True when ``line`` starts a new item of a Korean report (□, ○, -, ※, 1., 가., (1), ...).

    >>> is_bullet("□ 기획재정부는"), is_bullet("※ 참고"), is_bullet("년 동기 대비")
    (True, True, False)
    """
    return bool(_BULLET_RE.match(line))


def typical_width(lines: list[str]) -> int:
    """The length (characters) of a full line: the 80th percentile of the non-empty lines' lengths.

    >>> typical_width(["a" * 40] * 8 + ["b" * 5, "c" * 200])
    40
    """
    lengths = sorted(len(line) for line in lines if line)
    return lengths[int(len(lengths) * 0.8) - 1] if lengths else 0


def reflow(lines: list[str]) -> list[str]:
    """PDF lines -> paragraphs: a wrapped line is joined to the one before with a space; a blank line,
    a bullet, or a line after a sentence end or a short line starts a new paragraph; page numbers go.

    >>> reflow(["- 1 -", "□ 해외직접투자액은 총투자액 기준 141.5억 달러로 전", "년 동기 대비 감소하였다.",
    ...         "○ 다음 문단"])
    ['□ 해외직접투자액은 총투자액 기준 141.5억 달러로 전 년 동기 대비 감소하였다.', '○ 다음 문단']
    """
    cleaned = [clean_line(line.replace("\t", " ")) for line in lines]
    width = typical_width(cleaned)
    paragraphs: list[str] = []
    previous = ""
    for line in cleaned:
        if not line or _PAGE_NUMBER.match(line):
            previous = ""
            continue
        starts = (not previous or is_bullet(line) or _SENTENCE_END.search(previous)
                  or len(previous) < 0.7 * width)
        if starts or not paragraphs:
            paragraphs.append(line)
        else:
            paragraphs[-1] += " " + line
        previous = line
    return paragraphs


def join_lines(lines: list[str]) -> str:
    """The final text: cleaned non-empty lines joined with newlines."""
    return "\n".join(line for line in (clean_line(x) for x in lines) if line)
