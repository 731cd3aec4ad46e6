"""The Korean words the extractors and normalizers look for, as named groups of data; pure.

A word is written once here and every rule that needs it composes its regex from the group with
:func:`alternation` (trafilatura builds its XPath expressions from named parts the same way), so a word
added to a group is known everywhere. Spaces inside a word match any run of spacing, or none:
``이전 글`` matches ``이전글`` and ``이전  글``. Bottom layer: imports nothing from ``scraper``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# --- bylines (normalize.authors, extract.chrome, extract.lines) -------------------------------------------

REPORTER_ROLES: tuple[str, ...] = ("기자", "특파원")
"""Roles in a wire dateline's byline (``(서울=연합뉴스) 홍길동 기자 =``, ``[매체=홍길동 특파원]``) and in a
reporter list line (``조성훈 기자, 김은령 기자``); seen on Yonhap, Newsis, news.mt.co.kr copies."""

BYLINE_ROLES: tuple[str, ...] = (*REPORTER_ROLES, "통신원", "논설위원", "논설고문", "칼럼니스트", "편집위원", "대기자")
"""Newsroom roles that make a short line a byline on their own (``홍길동 기자``, ``홍길동 논설위원``): the line
classifier of article containers and the author splitter both know them (news CMSs, Naver copies)."""

TITLE_ROLES: tuple[str, ...] = (
    "논설실장", "편집장", "앵커", "리포터", "기상캐스터", "캐스터", "아나운서", "에디터", "평론가", "작가", "부장",
    "차장", "팀장", "위원", "PD", "피디",
)
"""Broadcast and job titles after a name in a byline (``홍길동 앵커``, ``김철수 사회부장``; broadcasters' sites,
column pages): the author splitter drops them, but alone on a line they also end ordinary text."""

ROLE_BASES: tuple[str, ...] = BYLINE_ROLES + TITLE_ROLES
"""Every byline role word (what follows or precedes the name)."""

STATUS_MODIFIERS: tuple[str, ...] = ("선임", "수석", "전문", "객원", "인턴", "수습")
"""Rank and status words before a role (``선임기자``, ``객원 논설위원``, ``인턴기자``), on byline lines."""

TRAINEE_MODIFIERS: tuple[str, ...] = ("인턴", "수습")
"""Trainee words before a role in reporter lists (``홍길동 인턴기자, 김철수 기자``; news.mt.co.kr)."""

FIELD_MODIFIERS: tuple[str, ...] = (
    "사진", "영상", "취재", "시민", "명예", "상임", "문화", "대중문화", "의학", "경제", "산업", "정치", "사회", "국제",
    "스포츠", "연예", "과학", "환경", "교육", "법조", "영화", "음악",
)
"""Beat and kind words before a role (``사진기자``, ``문화전문기자`` = 문화 + 전문 + 기자), in bylines."""

ROLE_MODIFIERS: tuple[str, ...] = STATUS_MODIFIERS + FIELD_MODIFIERS
"""Words that qualify a role base (up to two of them): status words and beat words."""

ROLE_COMPOUNDS: tuple[str, ...] = ("상임논설고문", "객원논설위원")
"""Whole compound roles read as one word on byline lines (``이학영 상임논설고문``; opinion pages)."""

ROLE_FIRST_ROLES: tuple[str, ...] = ("칼럼니스트", "평론가", "문화평론가", "대중문화평론가", "영화평론가", "음악평론가")
"""Roles written before the name (``칼럼니스트 박생강``; entermedia.co.kr column tails)."""

CONTRIBUTOR_TITLES: tuple[str, ...] = (
    *ROLE_FIRST_ROLES, "소설가", "시인", "수필가", "작가", "만화가", "사진작가", "교수", "변호사", "기고가",
)
"""Titles of outside contributors written before their name (``소설가 박생강``, ``문화평론가 김철수``): the word
before the name is a title, never a name, though some start like a surname (문화, 소설)."""

EN_ROLE_WORDS: tuple[str, ...] = (
    "staff reporter", "staff writer", "senior reporter", "senior writer", "contributing writer", "reporter",
    "correspondent", "columnist", "editor", "writer", "intern",
)
"""English role words of a romanised byline (``Kim Seo-yun, Staff Reporter``; English editions of Korean
papers), dropped like 기자."""

# --- dates (normalize.dates, extract.chrome, extract.capture, extract.release) ------------------------------

PUBLISHED_LABELS: tuple[str, ...] = (
    "입력", "등록", "승인", "게재", "작성", "발행", "게시", "보도", "배포", "송고", "Posted", "Published",
)
"""Labels of the first publication: news CMSs' 입력/승인/송고, gov boards' 등록일/작성일/게시일, releases'
보도/배포 일시; a :data:`DATE_LABEL_PREFIXES` word may lead and a :data:`DATE_LABEL_SUFFIXES` word follow."""

MODIFIED_LABELS: tuple[str, ...] = ("수정", "업데이트", "Updated", "Modified")
"""Labels of a later revision (``수정``, ``최종수정``, ``업데이트``; news CMSs)."""

DATE_LABEL_PREFIXES: tuple[str, ...] = ("최초", "기사", "최종")
"""Words that may lead a date label (``최초입력``, ``기사입력``, ``기사승인``, ``최종 수정``; news CMSs)."""

DATE_LABEL_SUFFIXES: tuple[str, ...] = ("일시", "일자", "시간", "시각", "일", "날짜")
"""Words that may follow a date label and belong to it (``등록일``, ``송고시간``, ``작성 일시``)."""

BOARD_META_LABELS: tuple[str, ...] = ("등록일", "작성일", "게시일", "수정일", "조회수", "조회")
"""Labels of a gov board view's meta row besides the contact labels (eGovFrame ``div.table_info``:
``등록일 : 2021.08.30. 작성자 : 재정정책과 조회 : 12``); a label value stops at the next one."""

# --- navigation and page chrome (extract.chrome, extract.release, extract.header, extract.lines) ------------

PREV_NEXT_POSTS: tuple[str, ...] = (
    "이전 글", "다음 글", "이전 기사", "다음 기사", "이전 게시물", "다음 게시물", "윗 글", "아랫 글",
)
"""Labels of a view page's links to the previous/next post (board views' ``이전글``/``다음글`` rows, news CMSs'
``다음 기사``): the dates beside them belong to other posts, and in an article container the article has ended."""

PREV_NEXT_PAGES: tuple[str, ...] = ("이전 페이지", "다음 페이지")
"""Labels of a previous/next page link (list pagers, multi-page views)."""

PREV_NEXT: tuple[str, ...] = PREV_NEXT_POSTS + PREV_NEXT_PAGES
"""Labels of a view page's previous/next navigation (board views and news CMSs); the dates beside them belong
to other posts (the article header's date lines)."""

PAGER_WORDS: tuple[str, ...] = ("prev", "next")
"""English labels of a board view's prev/next rows (read case-insensitively, with :data:`PREV_NEXT`)."""

FOOTER_MARKERS: tuple[str, ...] = (
    "등록번호", "사업자등록번호", "발행인", "편집인", "발행·편집인", "청소년보호책임자", "대표전화", "개인정보처리방침",
    "이메일무단수집거부", "통신판매업신고", "고충처리인", "팩스", "FAX",
)
"""Words of a site's footer (the 신문 등록 facts, 청소년보호책임자, privacy links, the fax number): a line holding
two of them, or one and a phone number, is the footer, never body."""

LIST_SIGNALS: tuple[str, ...] = ("검색 결과", "현재 페이지", "전체 게시물", "총 게시물", "게시물 수")
"""What list and search-result pages print above their rows (``총 게시물 1,234건``, ``"빈집" 검색결과 총 3건``)."""

LICENSE_NOTICES: tuple[str, ...] = (
    "조건에 따라 이용 할 수 있습니다", "출처표시 조건에 따라", "공공누리 제1유형", "공공누리 1유형",
)
"""The 공공누리 (KOGL) licence notice under gov releases (``본 저작물은 "공공누리" 제1유형:출처표시 조건에 따라 이용
할 수 있습니다``): never body. Phrases of the notice, not the word 공공누리 alone, which a release may mention."""

CHROME_HEADINGS: tuple[str, ...] = (
    "관련 기사", "관련 뉴스", "많이 본 뉴스", "많이 본 기사", "주요 뉴스", "이 시각 주요 뉴스", "인기 기사",
    "추천 기사", "최신 기사", "이 기사와 관련된 기사", "실시간 인기", "핫 뉴스", "HOT NEWS",
    "당신이 관심 있을 만한 이슈", "함께 보면 좋은 기사", "이 시각 많이 본 뉴스", "You may also like", "AI 요약",
)
"""Headings of related/popular lists under an article (``[관련기사]``, ``많이 본 뉴스``; news CMSs, old table
layouts): the article has ended."""

CHROME_CONTROLS: tuple[str, ...] = (
    "기사 메일 전송", "기사 수정", "기사 삭제", "인쇄", "인쇄하기", "목록", "목록 바로가기", "목록보기", "스크랩",
    "공유", "공유하기", "글자 크기", "글씨 크기", "가", "가가", "URL 복사", "링크 복사", "페이스북", "트위터",
    "카카오톡", "카카오스토리", "네이버 블로그", "밴드", "구독", "구독하기", "좋아요", "싫어요", "다른 기사 보기",
    "기자의 다른 기사", "이 기자의 다른 기사", "닫기", "확대", "축소", "맨위로", "TOP", "미리보기", "바로보기",
    "내려받기", "다운로드", "뷰어", "이미지 확대보기", "SNS 기사보내기",
)
"""Buttons and links of share/print/font bars and attachment rows, each alone on a line (news CMSs, gov
boards): never body."""

CONTROL_WORDS: tuple[str, ...] = (
    "기사공유", "공유", "공유하기", "페이스북", "트위터", "엑스", "카카오톡", "카카오스토리", "카카오", "밴드",
    "네이버", "블로그", "라인", "텔레그램", "인쇄", "인쇄하기", "프린트", "글자크기", "글씨크기", "글자", "크기",
    "크게", "작게",
    "확대", "축소", "스크랩", "URL복사", "링크복사", "복사", "이메일", "메일", "목록", "댓글", "좋아요", "구독",
    "구독하기", "본문듣기", "듣기", "가", "가가", "SNS", "facebook", "twitter", "kakao", "print",
)
"""Single words of a share/print/font bar typed as one line of text (``기사공유 페이스북 트위터 인쇄 글자크기 크게
작게``): a line made only of these words is chrome."""

AD_LABELS: tuple[str, ...] = ("광고", "AD", "Advertisement", "스폰서", "Sponsored")
"""An ad slot's own label, alone on a line inside the article."""

COUNTED_CONTROLS: tuple[str, ...] = ("댓글",)
"""Controls shown with a count after them (``댓글 3`` in a share bar): never body."""

PROMO_PHRASES: tuple[str, ...] = (
    "이 기사가 마음에 들었다면", "좋아요를 눌러주세요", "네이버 메인에서", "구독하세요", "채널 추가",
    "모바일 버전 바로가기", "PC버전", "앱 다운로드", "URL이 복사되었습니다", "링크가 복사되었습니다",
    "본문 시작", "본문 바로가기", "주메뉴 바로가기", "AI가 요약한 내용", "AI 요약은",
)
"""Subscription and app promotions anywhere in a line (news CMSs' article tails): never body."""

TIP_OFF: tuple[str, ...] = ("기사 제보", "제보하기", "뉴스 제보")
"""Tip-off links that open a line after the article (news CMSs): the article has ended."""

TIP_OFF_CONTACTS: tuple[str, ...] = ("기사 문의 및 제보",)
"""A broadcaster's tip-off line with contacts after a colon (``연합뉴스TV 기사문의 및 제보 : 카톡/라인 jebo23``)."""

# --- captions and credits (extract.chrome, extract.lines) ---------------------------------------------------

PICTURE_LABELS: tuple[str, ...] = ("사진", "그래픽", "이미지", "자료 사진", "영상")
"""Words naming a picture in a caption or credit label (``[사진]OSEN DB``, ``그래픽=김철수 기자``,
``영상=한빛구``; osen.co.kr, sporbiz.co.kr, local papers)."""

PHOTO_CREDIT_LABELS: tuple[str, ...] = ("사진", "사진 제공", "자료 사진")
"""Labels of a line that only credits a photo (``[사진=연합뉴스]``, ``(사진 제공=한빛구)``; news CMSs)."""

SOURCE_WORDS: tuple[str, ...] = ("제공", "출처")
"""Words after a picture label naming whom it is from (``사진 제공 = 한빛구``, ``그래픽 출처 - 통계청``)."""

CREDIT_LABELS: tuple[str, ...] = ("출처", "자료 제공", "자료 출처", "제공", "보도자료 제공")
"""Labels of a source credit line (``출처: 광진구청 보도자료``, ``자료제공: 노인건강과``; local papers, releases)."""

DATELINE_NOT_COLUMN: tuple[str, ...] = (*PICTURE_LABELS, "자료", "출처")
"""Bracket openers that make ``[X=Y]`` a credit, not a column's dateline (``[사진=연합뉴스]``, ``[자료=통계청]``
against ``[엔터미디어=정덕현의 이슈공감]``)."""

# --- gov press releases (extract.release, extract.headline) --------------------------------------------------

DEPARTMENT_LABELS: tuple[str, ...] = ("담당 부서", "부서 명", "부서", "등록 부서", "담당 과", "작성 부서", "주관 부서")
"""Labels of a release's department field (dl/dt/dd on gangjin.go.kr, mokpo.go.kr, gb.go.kr; th/td on
shinan.go.kr; span pairs on naju.go.kr, jeonnam.go.kr)."""

CONTACT_NAME_LABELS: tuple[str, ...] = ("담당자", "작성자", "담당 공무원")
"""Labels of a release's contact person (or the writing unit: ``작성자 기획감사실``)."""

PHONE_LABELS: tuple[str, ...] = ("전화", "전화 번호", "연락처", "문의", "문의 전화", "담당자 연락처")
"""Labels of a release's contact phone."""

EMAIL_LABELS: tuple[str, ...] = ("이메일", "e-mail", "email", "전자 우편")
"""Labels of a release's contact e-mail (read case-insensitively)."""

TITLE_LABELS: tuple[str, ...] = ("제목", "글 제목", "title")
"""Labels of a table-layout board's title cell (``<th>제목</th><td>...</td>``; read case-insensitively)."""

DEPARTMENT_SUFFIXES: tuple[str, ...] = ("실", "과", "팀", "국", "소", "단", "센터", "담당관", "본부", "사업소")
"""Endings of a government unit's name (``기획감사실``, ``홍보담당관``, ``보건소``), not a person's."""

RELEASE_MARKERS: tuple[str, ...] = (
    "보도 자료", "담당 부서", "담당자", "공공누리", "첨부 파일", "보도 일시", "배포 일시",
)
"""Words a press-release view page shows in its labels and breadcrumbs (two distinct ones mark a release)."""

BOARD_WORDS: tuple[str, ...] = (
    "보도 자료", "게시판", "상세 보기", "상세 페이지", "상세", "내용 보기", "보기", "목록", "뉴스", "공지 사항",
    "알림 마당", "새소식", "소식", "view", "list", "board",
)
"""Words of a board's or page's name (``보도자료 상세보기``), which gov boards use as every view's heading
(eGovFrame boards, the shared cases): a heading of only these is no headline (read case-insensitively)."""

COMMENT_HEADINGS: tuple[str, ...] = (
    "댓글", "댓글 쓰기", "댓글 작성", "댓글 목록", "전체 댓글", "독자 의견", "의견 쓰기", "reply", "comments",
)
"""Headings of reader-comment areas under an article: never body."""

DELETED_POST: tuple[str, ...] = (
    "삭제되었거나 존재하지 않는 게시물", "존재하지 않는 게시물", "삭제된 게시물", "게시물이 존재하지 않습니다",
    "해당 게시물이 없습니다", "삭제된 기사", "존재하지 않는 기사", "요청하신 페이지를 찾을 수 없습니다",
    "게시글을 찾을 수 없습니다", "게시물을 찾을 수 없습니다", "비공개 처리된 게시물", "비공개 처리되었습니다",
    "페이지를 찾을 수 없습니다", "게시글이 존재하지 않습니다", "삭제된 게시글", "존재하지 않는 글",
)
"""Notices of a removed or missing post that boards serve with status 200."""


def alternation(words: Iterable[str], spacing: str = r"\s*") -> str:
    r"""A regex alternation of ``words``, longest first (ties in the given order), each word once, the spaces
    inside a word matching ``spacing`` (default: any spacing or none; ``r"\s+"`` for English words).

    >>> alternation(["이전 글", "이전"])
    '(?:이전\\s*글|이전)'
    >>> bool(re.fullmatch(alternation(PREV_NEXT), "이전글")), alternation(["staff writer"], spacing=r"\s+")
    (True, '(?:staff\\s+writer)')
    """
    parts = sorted(dict.fromkeys(w for w in words if w), key=len, reverse=True)
    return "(?:" + "|".join(spacing.join(re.escape(piece) for piece in w.split()) for w in parts) + ")"


def despaced(word: str) -> str:
    """``word`` without its spaces: the form two spellings of one word share (``이전 글`` and ``이전글``).

    >>> despaced("최종 수정")
    '최종수정'
    """
    return "".join(word.split())


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
