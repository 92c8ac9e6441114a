"""A small compound for vote tests: 翠竹园 with buildings 1–3, owners with accounts, the developer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jishiyu.accounts.models import User
from jishiyu.deliberation import services
from jishiyu.deliberation.models import Vote
from jishiyu.people.models import Ownership, Person
from jishiyu.regions.models import Building, Dwelling, Entrance, Region

PASSWORD = "Test-pass-123"


@dataclass
class Estate:
    compound: Region
    buildings: list[Building]
    dwellings: dict[str, Dwelling] = field(default_factory=dict)
    owners: dict[str, User] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)


def owner(estate: Estate, name: str, phone: str, *labels: str, verified: bool = True, rep: bool = True) -> User:
    user = User.objects.create_user(phone=phone, password=PASSWORD, name=name)
    person = Person.objects.create(region=estate.compound, name=name, user=user)
    for label in labels:
        Ownership.objects.create(
            person=person,
            dwelling=estate.dwellings[label],
            representative=rep,
            verified_at=timezone.now() if verified else None,
        )
    estate.owners[name] = user
    estate.persons[name] = person
    return user


def build_estate(tree: Any) -> Estate:
    """Buildings 1 and 2 (one entrance each, two dwellings each) and 3 (two developer-held dwellings).

    甲 owns 1-1-101 and 2-1-101; 乙 1-1-102; 丙 and 丁 co-own 2-1-102 (丙 represents); 3-1-* developer.
    Areas: 100, 80, 60, 90 / 3-1-101 70, 3-1-102 70."""
    compound = tree.compound
    estate = Estate(compound, [])
    areas = {"1": ["100", "80"], "2": ["60", "90"], "3": ["70", "70"]}
    for number, building_areas in areas.items():
        b = Building.objects.create(
            community=tree.community, grid=tree.grid, compound=compound, region=tree.grid, number=number
        )
        e = Entrance.objects.create(building=b, number="1")
        estate.buildings.append(b)
        for i, area in enumerate(building_areas):
            d = Dwelling.objects.create(
                building=b,
                entrance=e,
                region=tree.grid,
                number=f"10{i + 1}",
                exclusive_area=Decimal(area),
                developer_held=number == "3",
            )
            estate.dwellings[d.label] = d
    owner(estate, "甲", "13700000001", "1-1-101", "2-1-101")
    owner(estate, "乙", "13700000002", "1-1-102")
    owner(estate, "丙", "13700000003", "2-1-102")
    owner(estate, "丁", "13700000004", "2-1-102", rep=False)
    return estate


def open_vote(actor: User, estate: Estate, matter: int = 1, buildings: list[Building] | None = None) -> Vote:
    vote = services.vote_create(
        actor=actor,
        compound=estate.compound,
        title="加装电梯",
        matter=matter,
        closes_at=timezone.now() + datetime.timedelta(days=7),
        building_ids=[b.pk for b in buildings or []],
    )
    return services.vote_open(actor=actor, vote=vote)


def past_close(vote: Vote) -> None:
    Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    vote.refresh_from_db()
