"""Owners' vote tally under Civil Code art. 278 (业主共同决定计票): pure functions over plain data.

No database, no floats: areas are exact ``Fraction`` values parsed from decimal strings. The same
``tally`` serves the app (closing a vote) and ``manage.py tally_vote FILE`` (an independent recount
from the exported record), so the two cannot disagree.

Rules (art. 278 and 最高法 建筑物区分所有权解释 art. 8–9):
- the electorate's owners are the distinct owner ids of its dwellings: one dwelling counts one owner,
  an owner of several dwellings counts once, the developer's dwellings share one owner id;
- participation: owners holding at least 2/3 of the exclusive area AND at least 2/3 of the owners;
- matters 6–8: at least 3/4 of the participating area AND of the participating owners approve;
- other matters: more than 1/2 of the participating area AND of the participating owners approve;
- an abstention is participation, not approval; an owner who did not vote counts for nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import lcm
from typing import Any

from django.utils.translation import gettext as _

MAJOR_MATTERS = frozenset({6, 7, 8})
MATTERS = range(1, 10)
CHOICES = ("for", "against", "abstain")
QUORUM = Fraction(2, 3)
MAJOR = Fraction(3, 4)
ORDINARY = Fraction(1, 2)
RULE_MAJOR = "art278-major"
RULE_ORDINARY = "art278-ordinary"
ZERO = Fraction(0)

_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class MalformedRecord(ValueError):
    """The record cannot be tallied; the message names the offending entry."""


@dataclass(frozen=True, slots=True)
class DwellingEntry:
    """One dwelling of the electorate (专有部分): its label, exact area and owner id."""

    id: str
    area: Fraction
    owner: str


@dataclass(frozen=True, slots=True)
class BallotEntry:
    """One owner's ballot (表决票): for, against or abstain."""

    owner: str
    choice: str


@dataclass(frozen=True, slots=True)
class TallyResult:
    """The outcome with every figure the law looks at (exact fractions)."""

    rule: str
    total_area: Fraction
    total_owners: int
    voted_area: Fraction
    voted_owners: int
    for_area: Fraction
    for_owners: int
    participation_area: Fraction
    participation_owners: Fraction
    quorum_met: bool
    approve_area: Fraction
    approve_owners: Fraction
    approval_met: bool
    passed: bool

    @property
    def approve_threshold(self) -> Fraction:
        return MAJOR if self.rule == RULE_MAJOR else ORDINARY

    @property
    def quorum_area_met(self) -> bool:
        return self.participation_area >= QUORUM

    @property
    def quorum_owners_met(self) -> bool:
        return self.participation_owners >= QUORUM

    @property
    def approve_area_met(self) -> bool:
        return _approves(self.rule, self.approve_area)

    @property
    def approve_owners_met(self) -> bool:
        return _approves(self.rule, self.approve_owners)

    def as_json(self) -> dict[str, Any]:
        """The one-line form printed by ``tally_vote`` (fractions in lowest terms, "0/1" for none)."""
        return {
            "rule": self.rule,
            "participation_area": fraction_text(self.participation_area),
            "participation_owners": fraction_text(self.participation_owners),
            "quorum_met": self.quorum_met,
            "approve_area": fraction_text(self.approve_area),
            "approve_owners": fraction_text(self.approve_owners),
            "passed": self.passed,
        }


def fraction_text(value: Fraction) -> str:
    """'n/d' in lowest terms, always with a denominator ("1/1", "0/1")."""
    return f"{value.numerator}/{value.denominator}"


def rule_for(matter: int) -> str:
    return RULE_MAJOR if matter in MAJOR_MATTERS else RULE_ORDINARY


def _approves(rule: str, share: Fraction) -> bool:
    # "at least" includes the boundary; "more than" does not.
    return share >= MAJOR if rule == RULE_MAJOR else share > ORDINARY


def _share(part: Fraction | int, whole: Fraction | int) -> Fraction:
    return Fraction(part) / Fraction(whole) if whole else ZERO


def tally(matter: int, dwellings: Sequence[DwellingEntry], ballots: Iterable[BallotEntry]) -> TallyResult:
    """Count the vote (计票). Raises MalformedRecord for inputs no valid vote can have."""
    if isinstance(matter, bool) or not isinstance(matter, int) or matter not in MATTERS:
        raise MalformedRecord(_("matter: %(value)r is not an integer from 1 to 9.") % {"value": matter})
    # Sum in integer units of 1/denominator m² (the areas' common denominator, 100 for areas in cm²): the
    # same exact arithmetic as summing Fractions, without a gcd at every addition.
    areas = [d.area if isinstance(d.area, Fraction) else Fraction(d.area) for d in dwellings]
    denominator = 1
    for a in areas:
        if denominator % a.denominator:
            denominator = lcm(denominator, a.denominator)
    units_of: dict[str, int] = {}
    total_units = 0
    for d, a in zip(dwellings, areas, strict=True):
        units = a.numerator * (denominator // a.denominator)
        units_of[d.owner] = units_of.get(d.owner, 0) + units
        total_units += units
    if total_units <= 0:
        raise MalformedRecord(_("dwellings: the total exclusive area must be more than zero."))
    seen: set[str] = set()
    voted_units = for_units = 0
    for_owners = 0
    for i, b in enumerate(ballots):
        if b.owner not in units_of:
            raise MalformedRecord(
                _("ballots[%(index)s]: owner %(owner)r holds no dwelling in the electorate.")
                % {"index": i, "owner": b.owner}
            )
        if b.owner in seen:
            raise MalformedRecord(
                _("ballots[%(index)s]: owner %(owner)r has already voted.") % {"index": i, "owner": b.owner}
            )
        if b.choice not in CHOICES:
            raise MalformedRecord(
                _("ballots[%(index)s]: choice %(choice)r is not for, against or abstain.")
                % {"index": i, "choice": b.choice}
            )
        seen.add(b.owner)
        voted_units += units_of[b.owner]
        if b.choice == "for":
            for_units += units_of[b.owner]
            for_owners += 1
    total_area = Fraction(total_units, denominator)
    voted_area = Fraction(voted_units, denominator)
    for_area = Fraction(for_units, denominator)
    rule = rule_for(matter)
    total_owners = len(units_of)
    voted_owners = len(seen)
    participation_area = _share(voted_units, total_units)
    participation_owners = _share(voted_owners, total_owners)
    quorum_met = participation_area >= QUORUM and participation_owners >= QUORUM
    approve_area = _share(for_units, voted_units)
    approve_owners = _share(for_owners, voted_owners)
    approval_met = voted_owners > 0 and _approves(rule, approve_area) and _approves(rule, approve_owners)
    return TallyResult(
        rule=rule,
        total_area=total_area,
        total_owners=total_owners,
        voted_area=voted_area,
        voted_owners=voted_owners,
        for_area=for_area,
        for_owners=for_owners,
        participation_area=participation_area,
        participation_owners=participation_owners,
        quorum_met=quorum_met,
        approve_area=approve_area,
        approve_owners=approve_owners,
        approval_met=approval_met,
        passed=quorum_met and approval_met,
    )


def _area(value: Any, index: int, label: str) -> Fraction:
    if isinstance(value, str) and _DECIMAL.match(value):
        whole, _dot, decimals = value.partition(".")
        area = Fraction(int(whole + decimals), 10 ** len(decimals))
        if area > 0:
            return area
    where = {"index": index, "id": label}
    if value is None:
        raise MalformedRecord(_("dwellings[%(index)s] (%(id)s): the area is missing.") % where)
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise MalformedRecord(_("dwellings[%(index)s] (%(id)s): the area is not a decimal number.") % where)
    text = str(value).strip()
    if not _DECIMAL.match(text):
        raise MalformedRecord(_("dwellings[%(index)s] (%(id)s): the area is not a decimal number.") % where)
    area = Fraction(Decimal(text))
    if area <= 0:
        raise MalformedRecord(_("dwellings[%(index)s] (%(id)s): the area must be more than zero.") % where)
    return area


def _text(value: Any) -> str | None:
    if not isinstance(value, str | int) or isinstance(value, bool) or str(value) == "":
        return None
    return str(value)


def record_parse(data: Any) -> tuple[int, list[DwellingEntry], list[BallotEntry]]:
    """Check an exported record (see docs/vote-format.md) and turn it into tally input."""
    if not isinstance(data, dict):
        raise MalformedRecord(_("The record must be a JSON object with matter, dwellings and ballots."))
    matter = data.get("matter")
    if isinstance(matter, bool) or not isinstance(matter, int) or matter not in MATTERS:
        raise MalformedRecord(_("matter: %(value)r is not an integer from 1 to 9.") % {"value": matter})
    raw_dwellings = data.get("dwellings")
    if not isinstance(raw_dwellings, list) or not raw_dwellings:
        raise MalformedRecord(_("dwellings: a non-empty list is required; the total area is missing."))
    dwellings: list[DwellingEntry] = []
    ids: set[str] = set()
    for i, raw in enumerate(raw_dwellings):
        if not isinstance(raw, dict):
            raise MalformedRecord(_("dwellings[%(index)s]: must be an object.") % {"index": i})
        label = _text(raw.get("id"))
        if label is None:
            raise MalformedRecord(_("dwellings[%(index)s]: the id is missing.") % {"index": i})
        if label in ids:
            raise MalformedRecord(
                _("dwellings[%(index)s]: dwelling id %(id)r appears twice.") % {"index": i, "id": label}
            )
        ids.add(label)
        area = _area(raw.get("area"), i, label)
        owner = _text(raw.get("owner"))
        if owner is None:
            raise MalformedRecord(_("dwellings[%(index)s] (%(id)s): the owner is missing.") % {"index": i, "id": label})
        dwellings.append(DwellingEntry(label, area, owner))
    raw_ballots = data.get("ballots", [])
    if not isinstance(raw_ballots, list):
        raise MalformedRecord(_("ballots: must be a list."))
    ballots: list[BallotEntry] = []
    for i, raw in enumerate(raw_ballots):
        if not isinstance(raw, dict):
            raise MalformedRecord(_("ballots[%(index)s]: must be an object.") % {"index": i})
        owner = _text(raw.get("owner"))
        if owner is None:
            raise MalformedRecord(_("ballots[%(index)s]: the owner is missing.") % {"index": i})
        ballots.append(BallotEntry(owner, str(raw.get("choice"))))
    return matter, dwellings, ballots


def record_tally_text(text: str) -> TallyResult:
    """Parse JSON text (floats kept exact as decimals) and tally it."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except ValueError as exc:
        raise MalformedRecord(_("The file is not valid JSON: %(error)s") % {"error": exc}) from None
    return tally(*record_parse(data))
