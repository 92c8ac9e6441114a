"""Table-driven tests of the art. 278 rules in the pure tally (no database)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from jishiyu.deliberation.tally import (
    BallotEntry,
    DwellingEntry,
    MalformedRecord,
    record_parse,
    record_tally_text,
    tally,
)


def homes(*owners_and_areas: tuple[str, str]) -> list[DwellingEntry]:
    return [DwellingEntry(f"d{i}", Fraction(area), owner) for i, (owner, area) in enumerate(owners_and_areas)]


def even(n: int) -> list[DwellingEntry]:
    """n dwellings of 100 m², one owner each."""
    return homes(*[(f"o{i}", "100") for i in range(n)])


def votes(*choices: str) -> list[BallotEntry]:
    return [BallotEntry(f"o{i}", c) for i, c in enumerate(choices) if c != "-"]


# (case, matter, dwellings, ballots, quorum_met, passed, participation_owners, approve_owners)
CASES = [
    ("participation exactly 2/3 meets the quorum", 1, even(3), votes("for", "for", "-"), True, True, "2/3", "1/1"),
    (
        "participation just under 2/3 misses the quorum",
        1,
        homes(("o0", "100"), ("o1", "100"), ("o2", "100.01")),
        votes("for", "for", "-"),
        False,
        False,
        "2/3",
        "1/1",
    ),
    (
        "ordinary: exactly 1/2 approving is not more than half",
        1,
        even(4),
        votes("for", "for", "against", "abstain"),
        True,
        False,
        "1/1",
        "1/2",
    ),
    (
        "ordinary: 3 of 5 approving passes",
        4,
        even(5),
        votes("for", "for", "for", "against", "against"),
        True,
        True,
        "1/1",
        "3/5",
    ),
    (
        "major: exactly 3/4 approving passes",
        6,
        even(4),
        votes("for", "for", "for", "against"),
        True,
        True,
        "1/1",
        "3/4",
    ),
    ("major: 2 of 3 approving fails", 7, even(3), votes("for", "for", "against"), True, False, "1/1", "2/3"),
    (
        "major item 8 uses the 3/4 rule",
        8,
        even(4),
        votes("for", "for", "against", "against"),
        True,
        False,
        "1/1",
        "1/2",
    ),
    (
        "abstentions take part but do not approve",
        1,
        even(3),
        votes("for", "abstain", "abstain"),
        True,
        False,
        "1/1",
        "1/3",
    ),
    (
        "abstentions alone meet the quorum and pass nothing",
        1,
        even(3),
        votes("abstain", "abstain", "-"),
        True,
        False,
        "2/3",
        "0/1",
    ),
    ("nobody voting gives 0/1 everywhere", 1, even(3), [], False, False, "0/1", "0/1"),
]


@pytest.mark.parametrize(
    ("case", "matter", "dwellings", "ballots", "quorum", "passed", "part_owners", "appr_owners"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_art278_rules_at_the_boundaries(
    case: str,
    matter: int,
    dwellings: list,
    ballots: list,
    quorum: bool,
    passed: bool,
    part_owners: str,
    appr_owners: str,
) -> None:
    result = tally(matter, dwellings, ballots).as_json()
    assert (result["quorum_met"], result["passed"]) == (quorum, passed)
    assert (result["participation_owners"], result["approve_owners"]) == (part_owners, appr_owners)


def test_area_and_headcount_must_both_reach_the_threshold() -> None:
    # 2 small owners vote for; the big owner against: owners 2/3 approve but area only 100/400.
    dwellings = homes(("a", "50"), ("b", "50"), ("c", "300"))
    result = tally(1, dwellings, [BallotEntry("a", "for"), BallotEntry("b", "for"), BallotEntry("c", "against")])
    assert result.as_json()["approve_owners"] == "2/3"
    assert result.as_json()["approve_area"] == "1/4"
    assert result.passed is False


def test_an_owner_of_several_dwellings_counts_once_with_all_their_area() -> None:
    dwellings = homes(("a", "80"), ("a", "70"), ("b", "50"), ("c", "50"))
    result = tally(1, dwellings, [BallotEntry("a", "for"), BallotEntry("b", "for")])
    assert result.total_owners == 3
    assert result.as_json()["participation_owners"] == "2/3"
    assert result.as_json()["participation_area"] == "4/5"
    assert result.passed is True


def test_developer_dwellings_count_as_one_owner() -> None:
    dwellings = homes(("dev", "90"), ("dev", "90"), ("dev", "90"), ("a", "90"), ("b", "90"))
    result = tally(1, dwellings, [BallotEntry("a", "for"), BallotEntry("b", "for")])
    assert result.total_owners == 3
    assert result.as_json()["participation_owners"] == "2/3"
    assert result.as_json()["participation_area"] == "2/5"
    assert result.quorum_met is False


def test_a_vote_among_two_buildings_counts_only_their_dwellings() -> None:
    compound = homes(("a", "90"), ("b", "90"), ("c", "90"), ("d", "90"))
    two_buildings = [d for d in compound if d.owner in {"a", "b"}]
    result = tally(7, two_buildings, [BallotEntry("a", "for"), BallotEntry("b", "for")])
    assert result.as_json()["participation_owners"] == "1/1"
    assert result.passed is True


def test_areas_are_exact_decimals_not_floats() -> None:
    dwellings = homes(("a", "0.1"), ("b", "0.2"), ("c", "0.3"))
    result = tally(1, dwellings, [BallotEntry("a", "for"), BallotEntry("b", "for")])
    assert result.as_json()["participation_area"] == "1/2"


RECORD = '{"matter": 6, "dwellings": [{"id": "3-2-501", "area": "89.57", "owner": "o-17"}], "ballots": []}'

MALFORMED = [
    ('{"matter": 0, "dwellings": [], "ballots": []}', "matter"),
    ('{"matter": "6", "dwellings": [], "ballots": []}', "matter"),
    ('{"matter": true, "dwellings": [], "ballots": []}', "matter"),
    ('{"matter": 6.0, "dwellings": [], "ballots": []}', "matter"),
    ('{"matter": 6, "dwellings": [], "ballots": []}', "dwellings"),
    (
        '{"matter": 6, "dwellings": [{"id": "a", "area": "1", "owner": "x"}, {"id": "a", "area": "2", "owner": "y"}]}',
        "dwellings[1]",
    ),
    ('{"matter": 6, "dwellings": [{"id": "a", "owner": "x"}]}', "dwellings[0] (a)"),
    ('{"matter": 6, "dwellings": [{"id": "a", "area": "-3", "owner": "x"}]}', "dwellings[0] (a)"),
    ('{"matter": 6, "dwellings": [{"id": "a", "area": "0.00", "owner": "x"}]}', "dwellings[0] (a)"),
    ('{"matter": 6, "dwellings": [{"id": "a", "area": "1e3", "owner": "x"}]}', "dwellings[0] (a)"),
    (
        '{"matter": 6, "dwellings": [{"id": "a", "area": "9", "owner": "x"}], "ballots": [{"owner": "y", '
        '"choice": "for"}]}',
        "ballots[0]",
    ),
    (
        '{"matter": 6, "dwellings": [{"id": "a", "area": "9", "owner": "x"}], "ballots": [{"owner": "x", '
        '"choice": "for"}, {"owner": "x", "choice": "against"}]}',
        "ballots[1]",
    ),
    (
        '{"matter": 6, "dwellings": [{"id": "a", "area": "9", "owner": "x"}], "ballots": [{"owner": "x", '
        '"choice": "yes"}]}',
        "ballots[0]",
    ),
    ("not json", "JSON"),
]


@pytest.mark.parametrize(("text", "names"), MALFORMED)
def test_a_malformed_record_is_refused_naming_the_entry(text: str, names: str) -> None:
    with pytest.raises(MalformedRecord) as excinfo:
        record_tally_text(text)
    assert names in str(excinfo.value)


def test_a_well_formed_record_parses_its_area_exactly() -> None:
    matter, dwellings, ballots = record_parse({"matter": 6, "dwellings": [{"id": "a", "area": "89.57", "owner": "x"}]})
    assert (matter, dwellings[0].area, ballots) == (6, Fraction(8957, 100), [])


def test_a_record_that_fails_still_tallies() -> None:
    assert record_tally_text(RECORD).as_json() == {
        "rule": "art278-major",
        "participation_area": "0/1",
        "participation_owners": "0/1",
        "quorum_met": False,
        "approve_area": "0/1",
        "approve_owners": "0/1",
        "passed": False,
    }
