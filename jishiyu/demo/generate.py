"""Deterministic generators for demo residents (演示居民): households, names, id numbers, phones, tags.

Pure Python, no database: every choice comes from the ``random.Random`` passed in, so the same seed
gives the same people."""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import cast

from stdnum.cn import ric

from jishiyu.demo import data

# Household templates (户型) and their weights by community kind: commercial, legacy industrial, village.
TEMPLATES: dict[str, tuple[float, float, float]] = {
    "elderly_alone": (0.06, 0.12, 0.07),
    "single": (0.12, 0.08, 0.07),
    "elderly_couple": (0.10, 0.19, 0.12),
    "young_couple": (0.10, 0.05, 0.05),
    "middle_couple": (0.07, 0.08, 0.08),
    "single_parent": (0.03, 0.04, 0.03),
    "family3": (0.30, 0.23, 0.22),
    "family4": (0.10, 0.06, 0.12),
    "three_generations": (0.115, 0.14, 0.16),
    "left_behind": (0.005, 0.01, 0.05),
}
KIND_INDEX = {data.C: 0, data.L: 1, data.V: 2}
# Household-level assistance shares by kind: 低保, 低边.
SUBSISTENCE = {data.C: 0.006, data.L: 0.018, data.V: 0.012}
NEAR_SUBSISTENCE = {data.C: 0.003, data.L: 0.008, data.V: 0.006}
# Share of id numbers from the district itself, from the rest of Nanjing, from elsewhere.
ORIGIN = {data.C: (0.45, 0.30), data.L: (0.65, 0.20), data.V: (0.85, 0.08)}


class Weighted:
    """Fast weighted choice over a fixed table."""

    def __init__(self, items: Sequence[tuple[object, float]]):
        self.values = [v for v, _w in items]
        self.cumulative = list(itertools.accumulate(w for _v, w in items))

    def pick(self, rng: random.Random) -> object:
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


SURNAMES = Weighted(data.SURNAMES)
DISABILITY_KIND = Weighted(data.DISABILITY_KINDS)
DISABILITY_GRADE = Weighted(data.DISABILITY_GRADES)
TEMPLATE_BY_KIND = {kind: Weighted([(t, w[i]) for t, w in TEMPLATES.items()]) for kind, i in KIND_INDEX.items()}
# Ages 60+: most in their sixties, fewer each decade after.
ELDERLY_AGE = Weighted([((60, 69), 55), ((70, 79), 30), ((80, 89), 13), ((90, 99), 2)])
ALONE_AGE = Weighted([((62, 69), 35), ((70, 79), 35), ((80, 89), 25), ((90, 99), 5)])


@dataclass
class PersonSpec:
    name: str
    gender: str
    birth_date: date
    id_number: str
    phone: str
    relation: str
    tags: list[tuple[str, str, int | None]] = field(default_factory=list)  # (tag, disability kind, grade)

    @property
    def adult(self) -> bool:
        return self.relation in ("户主", "配偶")


@dataclass
class HouseholdSpec:
    template: str
    members: list[PersonSpec]
    couple: bool  # head and spouse both present (co-owners possible)


class PeopleGenerator:
    """Generates households for one community kind; ``used_ids`` keeps id numbers unique across calls."""

    def __init__(self, as_of: date, used_ids: set[int]):
        self.as_of = as_of
        self.used_ids = used_ids

    # --- single values ---------------------------------------------------------------------------
    def name(self, rng: random.Random, gender: str, born: int) -> str:
        generation = "old" if born < 1965 else "mid" if born < 1995 else "young"
        singles, doubles = data.GIVEN[(generation, gender)]
        roll = rng.random()
        if roll < 0.35:
            given = rng.choice(doubles)
        elif roll < 0.7:
            given = rng.choice(singles) + rng.choice(singles)
        else:
            given = rng.choice(singles)
        return str(SURNAMES.pick(rng)) + given

    def birth_date(self, rng: random.Random, age: int) -> date:
        return self.as_of - timedelta(days=age * 365 + rng.randrange(365) + age // 4)

    def id_number(self, rng: random.Random, kind: str, born: date, gender: str) -> str:
        home, nanjing = ORIGIN[kind]
        roll = rng.random()
        if roll < home:
            area = data.AREA_HOME
        elif roll < home + nanjing:
            area = rng.choice(data.AREA_NANJING)
        else:
            area = rng.choice(data.AREA_ELSEWHERE)
        seq = rng.randrange(500) * 2 + (1 if gender == "m" else 0)  # odd sequence digit: male
        stem = f"{area}{born:%Y%m%d}"
        while True:
            body = f"{stem}{seq:03d}"
            key = int(body)
            if key not in self.used_ids:
                self.used_ids.add(key)
                return body + ric.calc_check_digit(body + "0")
            seq = (seq + 2) % 1000

    def phone(self, rng: random.Random, age: int) -> str:
        if age < 14 or (age >= 80 and rng.random() < 0.3) or rng.random() < 0.02:
            return ""
        while True:
            phone = rng.choice(data.MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
            if not phone.startswith("1390000"):  # kept for the demo accounts
                return phone

    # --- people and households ----------------------------------------------------------------------
    def person(self, rng: random.Random, kind: str, age: int, gender: str, relation: str) -> PersonSpec:
        age = max(0, min(age, 104))
        born = self.birth_date(rng, age)
        return PersonSpec(
            name=self.name(rng, gender, born.year),
            gender=gender,
            birth_date=born,
            id_number=self.id_number(rng, kind, born, gender),
            phone=self.phone(rng, age),
            relation=relation,
        )

    def household(self, rng: random.Random, kind: str) -> HouseholdSpec:
        template = str(TEMPLATE_BY_KIND[kind].pick(rng))
        people: list[tuple[int, str, str]] = []  # (age, gender, relation)
        head_gender = "m" if rng.random() < 0.6 else "f"
        spouse_gender = "f" if head_gender == "m" else "m"

        def child(parent_age: int, relation: str = "") -> tuple[int, str, str]:
            gender = "m" if rng.random() < 0.52 else "f"
            age = max(0, parent_age - rng.randint(23, 34))
            return age, gender, relation or ("子" if gender == "m" else "女")

        def couple(low: int, high: int) -> int:
            age = rng.randint(low, high)
            people.append((age, head_gender, "户主"))
            people.append((age + rng.randint(-4, 3), spouse_gender, "配偶"))
            return age

        if template == "elderly_alone":
            low, high = cast(tuple[int, int], ALONE_AGE.pick(rng))
            people.append((rng.randint(low, high), "f" if rng.random() < 0.62 else "m", "户主"))
        elif template == "single":
            people.append((rng.randint(20, 59), head_gender, "户主"))
        elif template == "elderly_couple":
            low, high = cast(tuple[int, int], ELDERLY_AGE.pick(rng))
            age = rng.randint(max(low, 63), high)
            people.append((age, "m", "户主"))
            people.append((max(60, age - rng.randint(0, 4)), "f", "配偶"))
        elif template == "young_couple":
            couple(23, 40)
        elif template == "middle_couple":
            couple(45, 64)
        elif template == "single_parent":
            age = rng.randint(30, 55)
            people.append((age, head_gender, "户主"))
            people.append(child(age))
        elif template in ("family3", "family4"):
            age = couple(26, 52)
            people.append(child(age))
            if template == "family4":
                people.append(child(age + rng.randint(-6, -1)))
        elif template == "three_generations":
            age = couple(28, 50)
            people.append(child(age))
            grand = age + rng.randint(24, 34)
            gender = "f" if rng.random() < 0.6 else "m"
            people.append((grand, gender, "母亲" if gender == "f" else "父亲"))
        else:  # left_behind: grandparents with grandchildren, the parents work elsewhere
            age = rng.randint(55, 78)
            people.append((age, "m", "户主"))
            if rng.random() < 0.6:
                people.append((age - rng.randint(0, 4), "f", "配偶"))
            for _ in range(rng.choice((1, 1, 2))):
                grandchild = rng.randint(3, 15)
                gender = "m" if rng.random() < 0.52 else "f"
                people.append((grandchild, gender, "孙子" if gender == "m" else "孙女"))
        members = [self.person(rng, kind, age, gender, relation) for age, gender, relation in people]
        household = HouseholdSpec(template, members, couple=sum(1 for m in members if m.adult) == 2)
        self.tag(rng, kind, household)
        return household

    # --- people in difficulty -----------------------------------------------------------------------
    def age(self, person: PersonSpec) -> int:
        born = person.birth_date
        return self.as_of.year - born.year - ((self.as_of.month, self.as_of.day) < (born.month, born.day))

    def tag(self, rng: random.Random, kind: str, household: HouseholdSpec) -> None:
        template = household.template
        subsistence = rng.random() < SUBSISTENCE[kind]
        near = not subsistence and rng.random() < NEAR_SUBSISTENCE[kind]
        elderly_household = template in ("elderly_alone", "elderly_couple")
        special = elderly_household and rng.random() < 0.015
        extreme = template == "elderly_alone" and not subsistence and rng.random() < 0.03
        for person in household.members:
            age = self.age(person)
            tags = person.tags
            if template == "elderly_alone" and age >= 60:
                tags.append(("elderly_alone", "", None))
            if template == "elderly_couple" and age >= 60:
                tags.append(("empty_nest", "", None))
            if template == "left_behind":
                if age < 16:
                    tags.append(("left_behind_child", "", None))
                elif age >= 60:
                    tags.append(("left_behind_elderly", "", None))
            if age >= 80:
                tags.append(("advanced_age", "", None))
            disabled = 0.008 if age < 18 else 0.02 if age < 60 else 0.05 if age < 80 else 0.10
            if rng.random() < disabled:
                tags.append(("disabled", str(DISABILITY_KIND.pick(rng)), int(DISABILITY_GRADE.pick(rng))))  # type: ignore[call-overload]
            if age >= 60:
                dependent = 0.12 if age >= 80 else 0.02
                if rng.random() < dependent:
                    tags.append(("dependent", "", None))
                dementia = 0.06 if age >= 80 else 0.01 if age >= 70 else 0.0
                if rng.random() < dementia:
                    tags.append(("dementia", "", None))
            if subsistence:
                tags.append(("subsistence", "", None))
                if age < 18:
                    tags.append(("child_in_difficulty", "", None))
            if near:
                tags.append(("near_subsistence", "", None))
            if extreme:
                tags.append(("extreme_poverty", "", None))
            if special and age >= 60:
                tags.append(("special_family", "", None))
