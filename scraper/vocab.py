"""The Korean words the extractors and normalizers look for, as named groups of data; pure.

A word is written once here and every rule that needs it composes its regex from the group with
:func:`alternation` (trafilatura builds its XPath expressions from named parts the same way), so a word
added to a group is known everywhere. Spaces inside a word match any run of spacing, or none:
``이전 글`` matches ``이전글`` and ``이전  글``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PREV_NEXT: tuple[str, ...] = (
    "이전 글", "다음 글", "이전 기사", "다음 기사", "이전 게시물", "다음 게시물", "이전 페이지", "다음 페이지",
    "윗 글", "아랫 글",
)
"""Labels of a view page's previous/next-post navigation (board views and news CMSs); the dates beside
them belong to other posts."""

PUBLISHED_LABELS: tuple[str, ...] = (
    "기사 입력", "입력", "최초 입력", "등록 일시", "등록일", "등록", "작성일", "작성 일시", "게시일", "게재일",
    "발행일", "배포 일시", "보도 일시", "기사 승인", "승인", "송고", "Published", "Posted",
)
"""Labels of a publication time (news CMSs' 입력/승인, gov boards' 등록일/작성일/게시일)."""

MODIFIED_LABELS: tuple[str, ...] = (
    "최종 수정", "기사 수정", "수정 일시", "수정일", "수정", "업데이트", "Updated", "Modified",
)
"""Labels of a modification time."""

COMMENT_HEADINGS: tuple[str, ...] = (
    "댓글", "댓글 쓰기", "댓글 작성", "댓글 목록", "전체 댓글", "독자 의견", "의견 쓰기", "reply", "comments",
)
"""Headings of reader-comment areas under an article: never body."""

DELETED_POST: tuple[str, ...] = (
    "삭제되었거나 존재하지 않는 게시물", "존재하지 않는 게시물", "삭제된 게시물", "게시물이 존재하지 않습니다",
    "해당 게시물이 없습니다", "삭제된 기사", "존재하지 않는 기사", "요청하신 페이지를 찾을 수 없습니다",
    "페이지를 찾을 수 없습니다", "게시글이 존재하지 않습니다", "삭제된 게시글", "존재하지 않는 글",
)
"""Notices of a removed or missing post that boards serve with status 200."""


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, spaces inside a word matching any spacing or none.

    >>> alternation(["이전 글", "이전"])
    '(?:이전\\\\s*글|이전)'
    >>> bool(re.fullmatch(alternation(PREV_NEXT), "이전글"))
    True
    """
    parts = sorted({w for w in words if w}, key=len, reverse=True)
    return "(?:" + "|".join(r"\s*".join(re.escape(piece) for piece in w.split()) for w in parts) + ")"


PREV_NEXT_RE = re.compile(r"^\s*[◀▶▲▼<>]?\s*" + alternation(PREV_NEXT) + r"(?:\s|[:：▲▼◀▶]|$)")
"""A line that starts with a prev/next label.

>>> bool(PREV_NEXT_RE.match("이전글 2024.01.01 구청 소식")), bool(PREV_NEXT_RE.match("다음달 행사"))
(True, False)
"""

COMMENT_RE = re.compile(r"^\s*" + alternation(COMMENT_HEADINGS) + r"\s*(?:\(?\d+\)?)?\s*$", re.I)
"""A comment-area heading (``댓글 3``, ``댓글(0)``, ``독자 의견``).

>>> bool(COMMENT_RE.match("댓글 (3)")), bool(COMMENT_RE.match("댓글 정책을 바꿨다"))
(True, False)
"""

DELETED_POST_RE = re.compile(alternation(DELETED_POST))
"""A deleted/missing-post notice anywhere in a short text.

>>> bool(DELETED_POST_RE.search("삭제되었거나 존재하지 않는 게시물입니다."))
True
"""
