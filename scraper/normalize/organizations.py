"""The registry of Korean public bodies (``data/organizations.txt``) and name/host resolution; pure.

Every 시·도 (17), autonomous 시·군·구 (226), the 제주 행정시, the central 부·처·청·위원회 and 정책브리핑, each with its
official name, the short forms people print (광진구청, 광진구, 서울 광진구 → ``서울특별시 광진구``) and the web
domains we are sure of. A short form that several bodies share (중구, 동구, 서구, 남구, 북구, 강서구, 고성군, 광주시)
never resolves on its own: only with its 시·도 (``부산 중구``, ``경남 고성군``).

>>> resolve_organization("광진구청"), resolve_organization("서울 광진구"), resolve_organization("서울시광진구")
('서울특별시 광진구', '서울특별시 광진구', '서울특별시 광진구')
>>> resolve_organization("중구") is None, resolve_organization("부산 중구"), resolve_organization("경남 고성군")
(True, '부산광역시 중구', '경상남도 고성군')
>>> organization_for_host("www.gwangjin.go.kr"), organization_for_host("news.seoul.go.kr")
('서울특별시 광진구', '서울특별시')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

OrgKind = Literal["province", "local", "new", "city", "central", "portal"]
KINDS: tuple[str, ...] = ("province", "local", "new", "city", "central", "portal")

NOT_THE_OFFICE: frozenset[str] = frozenset({"council", "assembly", "library", "lib", "edu"})
"""First host labels under a body's domain that name another body (구의회 ``council.gwangjin.go.kr``, a
library, an education office): such a host is not the body's office, so it gives no organization."""

_SPACE_RE = re.compile(r"\s+")
_NOTE_RE = re.compile(r"^(?:from|until) \d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Organization:
    """One public body: ``name`` official (``서울특별시 광진구``), ``kind``, ``domains`` (``gwangjin.go.kr``, no
    ``www.``), ``forms`` every short form it answers to (spaces kept as printed), ``code`` 행정표준코드 or ``""``."""

    name: str
    kind: OrgKind
    domains: tuple[str, ...]
    forms: tuple[str, ...]
    code: str


def form_key(text: str) -> str:
    """The key a printed form is looked up by: NFC-folded spacing removed (``서울 광진구`` = ``서울광진구``).

    >>> form_key(" 서울  광진구 ")
    '서울광진구'
    """
    return _SPACE_RE.sub("", text)


def _split(field: str) -> list[str]:
    return [part.strip() for part in field.split(",") if part.strip()]


def _local_forms(name: str, province_forms: list[str]) -> list[str]:
    """Short forms of a 시·군·구 ``name`` (``광진구``) under a 시·도 known by ``province_forms``."""
    bare = [name, name + "청"]
    return bare + [f"{p} {b}" for p in province_forms for b in bare]


@cache
def registry() -> tuple[Organization, ...]:
    """Every body of ``data/organizations.txt``, in file order (read once).

    Raises ``ValueError`` naming the line when the file is malformed (a packaging error, not a page's)."""
    text = files("scraper.normalize").joinpath("data/organizations.txt").read_text(encoding="utf-8")
    provinces: dict[str, list[str]] = {}
    bodies: dict[str, Organization] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [part.strip() for part in line.split("|")]
        if len(fields) != 5 or fields[0] not in (*KINDS, "alias"):
            raise ValueError(f"organizations.txt line {number}: expected 'kind | name | domains | forms | code'")
        kind, name, domains, extra, code = fields
        forms = [form for form in _split(extra) if not _NOTE_RE.match(form)]
        if kind == "alias":
            if name not in bodies:
                raise ValueError(f"organizations.txt line {number}: alias of unknown body {name!r}")
            old = bodies[name]
            bodies[name] = Organization(old.name, old.kind, old.domains, (*old.forms, *forms), old.code)
            continue
        if kind == "province":
            provinces[name] = [name, *forms]
        elif kind in ("local", "new", "city"):
            province, _, local = name.partition(" ")
            if province not in provinces or not local:
                raise ValueError(f"organizations.txt line {number}: {name!r} is not under a known 시·도")
            forms = _local_forms(local, provinces[province]) + forms
        bodies[name] = Organization(name, kind, tuple(_split(domains)), tuple(dict.fromkeys([name, *forms])), code)  # type: ignore[arg-type]
    return tuple(bodies.values())


@cache
def _by_form() -> dict[str, tuple[str, ...]]:
    """Form key -> official names of every body answering to it (several: an ambiguous short form)."""
    table: dict[str, list[str]] = {}
    for org in registry():
        for form in org.forms:
            names = table.setdefault(form_key(form), [])
            if org.name not in names:
                names.append(org.name)
    return {key: tuple(names) for key, names in table.items()}


@cache
def _by_domain() -> dict[str, str]:
    return {domain: org.name for org in registry() for domain in org.domains}


def candidates(form: str) -> tuple[str, ...]:
    """Official names of every body a printed ``form`` can name (empty: unknown; several: ambiguous).

    >>> candidates("고성군")
    ('강원특별자치도 고성군', '경상남도 고성군')
    """
    return _by_form().get(form_key(form), ())


def resolve_organization(form: str | None) -> str | None:
    """The official name a printed form names, or ``None`` when it names no body or several (never guessed).

    >>> resolve_organization("행안부"), resolve_organization("광주시"), resolve_organization("경기 광주시")
    ('행정안전부', None, '경기도 광주시')
    """
    if not form:
        return None
    names = candidates(form)
    return names[0] if len(names) == 1 else None


def organization_for_host(host: str | None) -> str | None:
    """The body whose web domain ``host`` is or lies under (``www.``, ``news.`` ...), else ``None``; a port is
    ignored, and a host whose first label names another body (``council.``, ``library.``) gives ``None``.

    >>> organization_for_host("council.gwangjin.go.kr") is None, organization_for_host("www.korea.kr:443")
    (True, '대한민국 정책브리핑')
    """
    if not host:
        return None
    labels = host.lower().split(":")[0].strip(".").split(".")
    table = _by_domain()
    for start in range(len(labels) - 1):
        name = table.get(".".join(labels[start:]))
        if name:
            return None if start and labels[0] in NOT_THE_OFFICE else name
    return None


def organization_by_name(name: str) -> Organization | None:
    """The registry entry with official name ``name`` (``None`` for a name not in the registry)."""
    return _by_name().get(name)


@cache
def _by_name() -> dict[str, Organization]:
    return {org.name: org for org in registry()}
