"""Reads of the people app (居民/户/房屋): every one goes through the scope policy, so no page, API
endpoint or export can forget the region scope or the ``select_related``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, OuterRef, Prefetch, QuerySet, Subquery, When
from django.db.models.functions import Coalesce

from jishiyu.accounts.models import User
from jishiyu.core.crypto import keyed_hash
from jishiyu.core.errors import NotFound
from jishiyu.core.scope import PATH_END, subtree_q
from jishiyu.people.models import HEAD_OF_HOUSEHOLD, Household, Ownership, Person, PersonTag, Residence
from jishiyu.people.permissions import dwelling_policy, household_policy, person_policy
from jishiyu.regions.models import Dwelling, Region
from jishiyu.regions.permissions import region_policy

DWELLING_RELATED = (
    "dwelling__building__community",
    "dwelling__building__compound",
    "dwelling__entrance__building__community",
    "dwelling__entrance__building__compound",
)
# Signed-up accounts matched against unlinked people per page of the awaiting list: bounded so the
# page stays fast in a district of hundreds of thousands of residents.
AWAITING_ACCOUNTS_LIMIT = 500


@dataclass(frozen=True)
class PersonFilters:
    """Filters of the people list (居民列表筛选)."""

    name: str = ""
    tag: str = ""
    region: int | None = None
    verified: bool | None = None
    has_account: bool | None = None
    household: int | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> PersonFilters:
        data = data or {}
        return cls(
            name=str(data.get("name") or "").strip(),
            tag=str(data.get("tag") or ""),
            region=_int_or_none(data.get("region")),
            verified=_bool_or_none(data.get("verified")),
            has_account=_bool_or_none(data.get("has_account")),
            household=_int_or_none(data.get("household")),
        )

    def as_dict(self) -> dict[str, Any]:
        """The filters that are set (for audit records and links)."""
        return {k: v for k, v in self.__dict__.items() if v not in ("", None)}


def _int_or_none(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _bool_or_none(value: Any) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    return None


def _person_queryset(actor: Any, permission: str = "people.view") -> QuerySet[Person]:
    return (
        person_policy.queryset(actor, permission)
        .select_related("region", "household")
        .prefetch_related(Prefetch("tags", queryset=PersonTag.objects.order_by("tag")))
    )


def _filter_region(actor: Any, region_id: int) -> Region:
    """A list's region filter: a region the actor may view people in, or NotFound (never dropped silently,
    never answered with an empty list that says the region exists)."""
    return region_policy.get(actor, "people.view", pk=region_id)


def person_list(*, actor: Any, filters: PersonFilters | Mapping[str, Any] | None = None) -> QuerySet[Person]:
    """居民列表: the people the actor may view, filtered."""
    f = filters if isinstance(filters, PersonFilters) else PersonFilters.from_mapping(filters)
    qs = _person_queryset(actor)
    if f.name:
        qs = qs.filter(name__icontains=f.name)
    if f.tag:
        qs = qs.filter(tags__tag=f.tag)
    if f.region is not None:
        region = _filter_region(actor, f.region)
        qs = qs.filter(region__path__gte=region.path, region__path__lt=region.path + PATH_END)
    if f.verified is not None:
        qs = qs.filter(verified_at__isnull=not f.verified)
    if f.has_account is not None:
        qs = qs.filter(user__isnull=not f.has_account)
    if f.household is not None:
        qs = qs.filter(household_id=f.household)
    return qs.order_by("name_pinyin", "name", "pk")


def person_get(*, actor: Any, person_id: Any, permission: str = "people.view") -> Person:
    """居民详情: NotFound when missing or out of scope (the same answer)."""
    person = _person_queryset(actor, permission).filter(pk=_pk(person_id)).first()
    if person is None:
        raise NotFound()
    return person


def person_residences(*, actor: Any, person: Person) -> QuerySet[Residence]:
    """A visible person's dwellings (居住)."""
    return Residence.objects.filter(person=person).select_related(*DWELLING_RELATED).order_by("-primary", "pk")


def person_ownerships(*, actor: Any, person: Person) -> QuerySet[Ownership]:
    """A visible person's owned dwellings (产权)."""
    return Ownership.objects.filter(person=person).select_related(*DWELLING_RELATED).order_by("pk")


def household_list(*, actor: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Household]:
    """户列表."""
    data = filters or {}
    qs = household_policy.queryset(actor, "people.view").select_related("region")
    if data.get("number"):
        qs = qs.filter(number__icontains=str(data["number"]))
    region_id = _int_or_none(data.get("region"))
    if region_id is not None:
        region = _filter_region(actor, region_id)
        qs = qs.filter(region__path__gte=region.path, region__path__lt=region.path + PATH_END)
    return qs.order_by("number", "pk")


def household_list_with_members(*, actor: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Household]:
    """户列表 for the staff page: each household with its dwelling, ``member_count`` and ``heads`` (户主),
    both counting only the members the actor may see, as the household's own page lists them."""
    visible = person_policy.queryset(actor, "people.view")
    counts = visible.filter(household=OuterRef("pk")).order_by().values("household").annotate(n=Count("pk"))
    heads = visible.filter(relation_to_head=HEAD_OF_HOUSEHOLD).order_by("pk")
    return (
        household_list(actor=actor, filters=filters)
        .select_related(*DWELLING_RELATED)
        .annotate(member_count=Coalesce(Subquery(counts.values("n")[:1]), 0))
        .prefetch_related(Prefetch("members", queryset=heads, to_attr="heads"))
    )


def household_get(*, actor: Any, household_id: Any, permission: str = "people.view") -> Household:
    """户详情: NotFound when missing or out of scope (the same answer)."""
    qs = household_policy.queryset(actor, permission).select_related("region", *DWELLING_RELATED)
    household = qs.filter(pk=_pk(household_id)).first()
    if household is None:
        raise NotFound()
    return household


def household_members(*, actor: Any, household: Household) -> QuerySet[Person]:
    """Members of a household the actor may see, the head (户主) first."""
    head_first = Case(When(relation_to_head=HEAD_OF_HOUSEHOLD, then=0), default=1)
    return _person_queryset(actor).filter(household=household).order_by(head_first, "name_pinyin", "name", "pk")


def dwelling_get(*, actor: Any, dwelling_id: Any, permission: str = "people.view") -> Dwelling:
    """房屋 (scoped by the dwelling's region)."""
    return dwelling_policy.get(actor, permission, pk=_pk(dwelling_id))


def dwelling_ownerships(*, actor: Any, dwelling: Dwelling) -> QuerySet[Ownership]:
    """Owners of a dwelling the actor may see (co-owners, representative first)."""
    people = person_policy.queryset(actor, "people.view")
    return (
        Ownership.objects.filter(dwelling=dwelling, person__in=people)
        .select_related("person", "person__region")
        .order_by("-representative", "pk")
    )


def dwelling_residences(*, actor: Any, dwelling: Dwelling) -> QuerySet[Residence]:
    """People living in a dwelling whom the actor may see."""
    people = person_policy.queryset(actor, "people.view")
    return Residence.objects.filter(dwelling=dwelling, person__in=people).select_related("person").order_by("pk")


def ownership_get(*, actor: Any, ownership_id: Any, permission: str = "people.view") -> Ownership:
    """One ownership, through its owner's scope."""
    people = person_policy.queryset(actor, permission)
    ownership = (
        Ownership.objects.filter(pk=_pk(ownership_id), person__in=people)
        .select_related("person", "person__region", "dwelling", "dwelling__region")
        .first()
    )
    if ownership is None:
        raise NotFound()
    return ownership


@dataclass(frozen=True)
class AwaitingVerification:
    """A signed-up account waiting to be verified as a resident (待认证居民)."""

    person: Person
    user: Any


def _unlinked_accounts_by_phone() -> dict[str, Any]:
    """The latest unlinked sign-ups (at most AWAITING_ACCOUNTS_LIMIT) by the keyed hash of their phone."""
    accounts = User.objects.filter(is_active=True, person__isnull=True).order_by("-date_joined")
    return {keyed_hash(u.phone): u for u in accounts[:AWAITING_ACCOUNTS_LIMIT]}


def residents_awaiting_verification(*, actor: Any) -> list[AwaitingVerification]:
    """待认证居民: people in the actor's verify scope with an unverified linked account, or an
    unlinked account whose mobile number matches theirs."""
    scoped = person_policy.queryset(actor, "people.verify").select_related("region", "user")
    result = [AwaitingVerification(p, p.user) for p in scoped.filter(user__isnull=False, verified_at__isnull=True)]
    by_hash = _unlinked_accounts_by_phone()
    if by_hash:
        for person in scoped.filter(user__isnull=True, phone_hash__in=list(by_hash)).order_by(
            "name_pinyin", "name", "pk"
        ):
            result.append(AwaitingVerification(person, by_hash[person.phone_hash]))
    return result


def residents_awaiting_verification_count(*, actor: Any, cap: int) -> int:
    """How many rows ``residents_awaiting_verification`` lists, counting no further than ``cap + 1``."""
    scoped = person_policy.queryset(actor, "people.verify").order_by()
    n = scoped.filter(user__isnull=False, verified_at__isnull=True)[: cap + 1].count()
    if n > cap:
        return n
    by_hash = _unlinked_accounts_by_phone()
    if by_hash:
        n += scoped.filter(user__isnull=True, phone_hash__in=list(by_hash))[: cap + 1 - n].count()
    return n


def regions_for_choice(*, actor: Any, permission: str = "people.view") -> QuerySet[Region]:
    """Regions under the actor's scope, for filter and form choices."""
    return Region.objects.filter(subtree_q("path", actor.region_paths_for(permission))).order_by("path")


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
