"""What intake reads for every ticket, memoised per process (受理查表缓存): the active sources by key
hash, the category catalogue, the time-limit policies, the holiday table and the regions tickets are
placed in.

Each is a ``jishiyu.core.memo.Memo``: dropped at once (and again after commit) when one of its rows is
saved or deleted through the ORM, in every process through the shared cache's version, and at the
latest after ``TICKETS_LOOKUP_MAX_AGE`` seconds (10 by default) where the cache is per process. A
change made by a bulk ``QuerySet.update()`` sends no signal: call ``clear()`` after it. The regions
follow the gazetteer's name index, which the region services already rebuild after every change.

The objects handed out are shared by the requests of the process: read them, never change them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from jishiyu.core.memo import Memo
from jishiyu.regions import gazetteer
from jishiyu.regions.models import Region
from jishiyu.tickets.models import Category, Holiday, Source, TimeLimitPolicy


def _max_age() -> float:
    return float(getattr(settings, "TICKETS_LOOKUP_MAX_AGE", 10.0))


# --- sources -----------------------------------------------------------------------------------


def _load_sources() -> dict[str, Source]:
    return {s.key_hash: s for s in Source.objects.filter(active=True)}


sources = Memo("tickets.sources", _load_sources, max_age=_max_age())


def source_by_hash(digest: str) -> Source | None:
    """The active source whose key has this SHA-256."""
    return sources.get().get(digest)


# --- the catalogue -----------------------------------------------------------------------------


@dataclass
class Catalogue:
    """Active categories by code, by id and by name (the newest version of a code or name wins)."""

    by_code: dict[str, Category] = field(default_factory=dict)
    by_id: dict[int, Category] = field(default_factory=dict)
    by_name: dict[str, Category] = field(default_factory=dict)


def _load_catalogue() -> Catalogue:
    catalogue = Catalogue()
    # Oldest version first and, within a version, the higher id first: later rows overwrite, so the
    # newest version (and within it the lowest id) stays, as the query it replaces ordered them.
    rows = sorted(Category.objects.filter(active=True), key=lambda c: (c.version, -c.pk))
    for category in rows:
        catalogue.by_code[category.code] = category
        catalogue.by_id[category.pk] = category
        catalogue.by_name[category.name] = category
    return catalogue


catalogue = Memo("tickets.catalogue", _load_catalogue, max_age=_max_age())


def category_find(value: Any) -> Category | None:
    """An active category by code, then id, then name (None when none matches)."""
    found = catalogue.get()
    text = str(value)
    hit = found.by_code.get(text)
    if hit is None and text.isdigit():
        hit = found.by_id.get(int(text))
    if hit is None:
        hit = found.by_name.get(text)
    return hit


# --- time limits and the holiday table -------------------------------------------------------


def _load_policies() -> list[TimeLimitPolicy]:
    return list(TimeLimitPolicy.objects.all())


policies = Memo("tickets.policies", _load_policies, max_age=_max_age())


def policies_in_force(day: date) -> list[TimeLimitPolicy]:
    return [p for p in policies.get() if p.effective_from <= day and (p.effective_to is None or p.effective_to >= day)]


def _load_holidays() -> dict[date, bool]:
    return dict(Holiday.objects.values_list("date", "is_workday"))


holidays = Memo("tickets.holidays", _load_holidays, max_age=_max_age())


# --- regions -------------------------------------------------------------------------------------

_regions: dict[str, Any] = {"index": None, "rows": {}}


def region_by_id(pk: int) -> Region | None:
    """A region row, kept until the gazetteer's name index is rebuilt (every region change rebuilds it)."""
    index = gazetteer.get_index()
    if _regions["index"] is not index:
        _regions["index"], _regions["rows"] = index, {}
    rows: dict[int, Region | None] = _regions["rows"]
    if pk not in rows:
        rows[pk] = Region.objects.filter(pk=pk).first()
    return rows[pk]


def clear() -> None:
    """Forget every lookup in every process (after a bulk update of the configuration tables)."""
    for memo in (sources, catalogue, policies, holidays):
        memo.clear()
    _regions["index"] = None


_WATCHED: dict[type, Memo[Any]] = {Source: sources, Category: catalogue, TimeLimitPolicy: policies, Holiday: holidays}


@receiver(post_save, sender=Source, dispatch_uid="tickets.lookups.source_saved")
@receiver(post_delete, sender=Source, dispatch_uid="tickets.lookups.source_deleted")
@receiver(post_save, sender=Category, dispatch_uid="tickets.lookups.category_saved")
@receiver(post_delete, sender=Category, dispatch_uid="tickets.lookups.category_deleted")
@receiver(post_save, sender=TimeLimitPolicy, dispatch_uid="tickets.lookups.policy_saved")
@receiver(post_delete, sender=TimeLimitPolicy, dispatch_uid="tickets.lookups.policy_deleted")
@receiver(post_save, sender=Holiday, dispatch_uid="tickets.lookups.holiday_saved")
@receiver(post_delete, sender=Holiday, dispatch_uid="tickets.lookups.holiday_deleted")
def _changed(sender: type, **kwargs: Any) -> None:
    _WATCHED[sender].clear()
