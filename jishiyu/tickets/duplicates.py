"""Duplicates (重复件): a new ticket about the same place and matter as an open one.

A candidate is an open ticket received within ``TICKETS_DUPLICATE_WINDOW_DAYS`` before the new one,
not merged itself, at the same place (the same resolved region, or within
``TICKETS_DUPLICATE_RADIUS_M`` metres when both have a point), of the same category when both have
one; at most ``MAX_CANDIDATES`` of them, the newest, read through the (region, status, received)
index and, for a point, the (status, received) one. Among candidates the text decides: the
jieba-segmented contents compared with rapidfuzz's token-set ratio, at least
``TICKETS_DUPLICATE_MIN_SCORE`` (0–100). Each ticket's words are segmented once and kept in
``Ticket.words`` (by the intake analysis, or here the first time an older ticket is compared), so a
check never segments its candidates again. The best one is flagged on the new ticket
(``suspected_duplicate_of``, by ``jishiyu.tickets.analysis`` after intake); a dispatcher merges it or
not. Merging keeps every caller informed: the merged ticket's reporter is told at once, and every
later step of the kept ticket reaches the reporters of all tickets merged into it (``followers``).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jieba
from django.conf import settings
from django.db.models import Q
from rapidfuzz import fuzz

from jishiyu.tickets.models import OPEN_STATUSES, Status, Ticket

jieba.setLogLevel(logging.WARNING)

DEFAULT_WINDOW_DAYS = 7
DEFAULT_RADIUS_M = 150.0
DEFAULT_MIN_SCORE = 70.0
MAX_CANDIDATES = 200
EARTH_RADIUS_M = 6_371_000.0

_tokenizer = jieba.Tokenizer()
# Words that carry no matter: asking, politeness, filler.
_STOP = frozenset(list("的了是在有我这那请和与及很都也就还不能会要给把被对从到")) | frozenset(
    [
        "我们",
        "你们",
        "他们",
        "请求",
        "希望",
        "要求",
        "尽快",
        "及时",
        "处理",
        "解决",
        "反映",
        "投诉",
        "问题",
        "情况",
        "一下",
        "谢谢",
        "非常",
        "已经",
        "一直",
        "没有",
        "一个",
        "现在",
    ]
)


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def words(text: str) -> str:
    """The content's matter as space-separated jieba words, filler dropped."""
    return " ".join(w for w in _tokenizer.lcut(text or "", HMM=False) if w.strip() and w not in _STOP and w.isalnum())


def similarity(a: str, b: str) -> float:
    """0–100: how far two contents speak of the same matter (token-set ratio over segmented words)."""
    return words_similarity(words(a), words(b))


def words_similarity(wa: str, wb: str) -> float:
    """The same score over contents already segmented by ``words``."""
    if not wa or not wb:
        return 0.0
    return float(fuzz.token_set_ratio(wa, wb))


def ticket_words(ticket: Ticket, *, store: bool = True) -> str:
    """The ticket's stored words, segmented (and with ``store``, kept) the first time they are needed.
    A content with no word left is kept as one space, so it is not segmented again either."""
    if not ticket.words:
        ticket.words = words(ticket.content) or " "
        if store and ticket.pk:
            Ticket.objects.filter(pk=ticket.pk).update(words=ticket.words)
    return str(ticket.words).strip()


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


@dataclass
class Candidate:
    ticket: Ticket
    score: float
    distance: float | None


def _box_q(ticket: Ticket, radius: float) -> Q:
    """A bounding box around the point (refined in Python by the true distance)."""
    assert ticket.lon is not None and ticket.lat is not None
    dlat = radius / 111_320.0
    dlon = radius / (111_320.0 * max(0.01, math.cos(math.radians(ticket.lat))))
    return Q(lon__range=(ticket.lon - dlon, ticket.lon + dlon), lat__range=(ticket.lat - dlat, ticket.lat + dlat))


CANDIDATE_FIELDS = ("id", "words", "content", "lon", "lat", "region_id", "received_at")


def _candidate_rows(ticket: Ticket, window: timedelta, radius: float) -> list[tuple[Any, ...]]:
    """The newest open tickets at the same place (the region, then the box around the point), bounded,
    as plain rows in ``CANDIDATE_FIELDS`` order (no model is built for a ticket that is not a match)."""
    base = Ticket.objects.filter(
        status__in=OPEN_STATUSES,
        duplicate_of__isnull=True,
        received_at__gte=ticket.received_at - window,
        received_at__lte=ticket.received_at,
    ).exclude(pk=ticket.pk)
    if ticket.category_id:
        base = base.filter(Q(category_id=ticket.category_id) | Q(category__isnull=True))
    base = base.order_by("-received_at")
    rows: dict[int, tuple[Any, ...]] = {}
    if ticket.region_id:
        rows.update(
            (r[0], r) for r in base.filter(region_id=ticket.region_id).values_list(*CANDIDATE_FIELDS)[:MAX_CANDIDATES]
        )
    if ticket.lon is not None and ticket.lat is not None:
        box = base.filter(_box_q(ticket, radius))
        if ticket.region_id:
            box = box.exclude(region_id=ticket.region_id)
        rows.update((r[0], r) for r in box.values_list(*CANDIDATE_FIELDS)[:MAX_CANDIDATES])
    return sorted(rows.values(), key=lambda r: r[6], reverse=True)[:MAX_CANDIDATES]


def candidates(ticket: Ticket, *, limit: int | None = None) -> list[Candidate]:
    """Open tickets at the same place, within the window, scored by how alike their contents are (best
    first; the best ``limit`` of them)."""
    window = timedelta(days=_setting("TICKETS_DUPLICATE_WINDOW_DAYS", DEFAULT_WINDOW_DAYS))
    radius = _setting("TICKETS_DUPLICATE_RADIUS_M", DEFAULT_RADIUS_M)
    min_score = _setting("TICKETS_DUPLICATE_MIN_SCORE", DEFAULT_MIN_SCORE)
    if not ticket.region_id and (ticket.lon is None or ticket.lat is None):
        return []  # neither a place nor a point: nothing to compare with
    mine = ticket_words(ticket)
    scored: list[tuple[float, float | None, int]] = []
    segmented: list[Ticket] = []
    for pk, stored, content, lon, lat, region_id, _received in _candidate_rows(ticket, window, radius):
        dist: float | None = None
        if None not in (ticket.lon, ticket.lat, lon, lat):
            dist = distance_m(ticket.lon, ticket.lat, lon, lat)  # type: ignore[arg-type]
            if dist > radius and region_id != ticket.region_id:
                continue
        if not stored:  # an older ticket compared for the first time: segmented once, and kept
            stored = words(content) or " "
            segmented.append(Ticket(pk=pk, words=stored))
        score = words_similarity(mine, stored.strip())
        if score >= min_score:
            scored.append((score, dist, pk))
    if segmented:
        Ticket.objects.bulk_update(segmented, ["words"], batch_size=200)
    scored.sort(key=lambda c: (-c[0], c[1] if c[1] is not None else 0.0))
    best = scored[:limit] if limit is not None else scored
    tickets = Ticket.objects.only(*CANDIDATE_FIELDS, "status").in_bulk([pk for _s, _d, pk in best])
    return [Candidate(tickets[pk], score, dist) for score, dist, pk in best if pk in tickets]


def best_candidate(ticket: Ticket) -> Ticket | None:
    """The open ticket this one most likely repeats (None when there is none)."""
    found = candidates(ticket, limit=1)
    return found[0].ticket if found else None


def duplicate_flag(ticket: Ticket) -> Ticket | None:
    """标记疑似重复件: remember the best candidate on the new ticket (None when there is none)."""
    best = best_candidate(ticket)
    if best is not None and ticket.suspected_duplicate_of_id != best.pk:
        ticket.suspected_duplicate_of = best
        Ticket.objects.filter(pk=ticket.pk).update(suspected_duplicate_of=best)
    return best


def followers(ticket: Ticket) -> list[Any]:
    """Reporters to keep informed about ``ticket``: its own and those of every ticket merged into it."""
    ids = set(
        Ticket.objects.filter(Q(pk=ticket.pk) | Q(duplicate_of=ticket, status=Status.MERGED))
        .exclude(reporter__isnull=True)
        .values_list("reporter_id", flat=True)
    )
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(pk__in=ids).order_by("pk"))


def merged_into(ticket: Ticket) -> list[Ticket]:
    """Tickets merged into this one."""
    return list(Ticket.objects.filter(duplicate_of=ticket, status=Status.MERGED).order_by("received_at"))
