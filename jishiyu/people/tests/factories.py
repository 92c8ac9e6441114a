"""Test data for the people app: a few people spread over the conftest tree, built once per test."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jishiyu.core.crypto import encrypt_text, keyed_hash
from jishiyu.core.masking import mask_id_number, mask_phone
from jishiyu.core.testing import make_id_number
from jishiyu.people.models import Household, Ownership, Person, PersonTag, Residence, Tag
from jishiyu.regions.models import Building, Dwelling, Region


def make_dwelling(region: Region, community: Region, number: str = "101", building: str = "1") -> Dwelling:
    b, _ = Building.objects.get_or_create(
        community=community, compound=None, number=building, defaults={"region": region}
    )
    return Dwelling.objects.create(building=b, region=region, number=number)


def make_person(
    name: str,
    region: Region,
    *,
    seq: int,
    user: Any = None,
    household: Household | None = None,
    phone: str = "",
    tags: tuple[str, ...] = (),
) -> Person:
    """A person stored as the services store one (encrypted, hashed, masked) without their checks."""
    number = make_id_number(birth="19500101", seq=seq)
    phone = phone or f"139{seq:08d}"
    person = Person.objects.create(
        name=name,
        region=region,
        household=household,
        user=user,
        document_enc=encrypt_text(number),
        document_hash=keyed_hash(number),
        document_masked=mask_id_number(number),
        phone_enc=encrypt_text(phone),
        phone_hash=keyed_hash(phone),
        phone_masked=mask_phone(phone),
    )
    for tag in tags:
        PersonTag.objects.create(person=person, tag=tag)
    return person


@dataclass
class PeopleData:
    """People keyed by where they live; ``numbers`` and ``phones`` hold their plain values for asserts."""

    people: dict[str, Person] = field(default_factory=dict)
    households: dict[str, Household] = field(default_factory=dict)
    dwellings: dict[str, Dwelling] = field(default_factory=dict)
    ownerships: dict[str, Ownership] = field(default_factory=dict)

    def ids(self, *keys: str) -> set[int]:
        return {self.people[k].pk for k in keys}

    def number(self, key: str) -> str:
        return self.people[key]._document_plain()

    def phone(self, key: str) -> str:
        return self.people[key]._phone_plain()


# Where each person lives (a key of conftest.Tree) and which persona account is theirs.
LAYOUT = {
    "grid_own": ("grid", "resident"),
    "grid": ("grid", None),
    "grid2": ("grid2", None),
    "community": ("community", None),
    "sibling": ("sibling_community", None),
    "other": ("other_grid", None),
    "outsider_own": ("other_community", "outsider"),
}


def build_people(tree: Any, personas: dict[str, Any]) -> PeopleData:
    """One person (with household, dwelling and ownership) per place of LAYOUT."""
    data = PeopleData()
    communities = {
        "grid": tree.community,
        "grid2": tree.community,
        "community": tree.community,
        "sibling_community": tree.sibling_community,
        "other_grid": tree.other_community,
        "other_community": tree.other_community,
    }
    for seq, (key, (place, owner)) in enumerate(LAYOUT.items(), start=1):
        region = getattr(tree, place)
        household = Household.objects.create(region=region, number=f"H-{key}")
        dwelling = make_dwelling(region, communities[place], number=f"{seq}01", building=str(seq))
        household.dwelling = dwelling
        household.save(update_fields=["dwelling"])
        person = make_person(
            f"居民{key}",
            region,
            seq=seq,
            user=personas[owner] if owner else None,
            household=household,
            tags=(Tag.ELDERLY_ALONE,) if seq % 2 else (),
        )
        Residence.objects.create(person=person, dwelling=dwelling)
        data.ownerships[key] = Ownership.objects.create(person=person, dwelling=dwelling, share=Decimal(1))
        data.people[key], data.households[key], data.dwellings[key] = person, household, dwelling
    return data


# What each persona must see (keys of LAYOUT), by permission. Derived by hand from roles.py and
# conftest's role nodes, so a change in either shows up here.
COMMUNITY = {"grid_own", "grid", "grid2", "community"}
STREET = COMMUNITY | {"sibling"}
ALL = set(LAYOUT)
OTHER = {"other", "outsider_own"}
NONE: set[str] = set()

VIEW = {
    "resident": {"grid_own"},
    "grid_worker": {"grid_own", "grid"},
    "community_worker": COMMUNITY,
    "social_worker": COMMUNITY,
    "community_secretary": COMMUNITY,
    "street_dispatcher": STREET,
    "street_official": STREET,
    "district_admin": ALL,
    "department_handler": NONE,
    "organisation_member": NONE,
    "auditor": NONE,
    "system_admin": NONE,
    "security_admin": NONE,
    "other_community_worker": OTHER,
    "outsider": {"outsider_own"},
}
CHANGE = {
    **{k: NONE for k in VIEW},
    "grid_worker": {"grid_own", "grid"},
    "community_worker": COMMUNITY,
    "community_secretary": COMMUNITY,
    "street_official": STREET,
    "district_admin": ALL,
    "other_community_worker": OTHER,
}
REVEAL = {
    **{k: NONE for k in VIEW},
    "community_worker": COMMUNITY,
    "community_secretary": COMMUNITY,
    "street_official": STREET,
    "district_admin": ALL,
    "other_community_worker": OTHER,
}
EXPORT = {
    **{k: NONE for k in VIEW},
    "community_worker": COMMUNITY,
    "social_worker": COMMUNITY,
    "community_secretary": COMMUNITY,
    "street_dispatcher": STREET,
    "street_official": STREET,
    "district_admin": ALL,
    "other_community_worker": OTHER,
}
# Households and dwellings carry no "own" rule: only role scope counts.
VIEW_BY_ROLE = {k: (v - {"grid_own", "outsider_own"} if k in ("resident", "outsider") else v) for k, v in VIEW.items()}
PERSONAS = list(VIEW)
