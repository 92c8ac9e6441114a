"""Organisation checks (慈善法第六十一条; the 2016 rules on annual spending and management costs): per
organisation per year, from the ledger, by the rules table seeded from the texts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from jishiyu.charity.models import LedgerEntry, OrganisationRule, OrganisationYear
from jishiyu.charity.rules import MANAGEMENT_EXEMPT, organisation_checks
from jishiyu.organisations.models import Organisation

WAN = 10_000 * 100  # 万元 in fen


def entry(world: Any, kind: str, amount: int, year: int, use: str = "", recipient: Organisation | None = None) -> None:
    LedgerEntry.objects.create(
        project=world.project,
        source=world.district_source,
        recipient=recipient or world.foundation,
        kind=kind,
        amount_fen=amount,
        use=use,
        created_at=timezone.make_aware(datetime.datetime(year, 6, 1)),
    )


def net_assets(organisation: Organisation, fen: int, year: int = 2024) -> None:
    OrganisationYear.objects.create(organisation=organisation, year=year, net_assets_fen=fen)


@pytest.fixture
def private_foundation(world: Any) -> Organisation:
    world.foundation.public_fundraising = False
    world.foundation.save()
    return world.foundation  # type: ignore[no-any-return]


def test_the_seeded_table_is_the_one_in_the_texts(db: Any) -> None:
    """Written out here from 慈善法第六十一条 and arts. 7–11 of the 2016 rules, independently of the migration."""
    rows = {
        (r.org_kind, r.public_fundraising, r.min_net_assets_fen, r.max_net_assets_fen): (
            r.basis,
            r.min_spending_permille,
            r.min_income_permille,
            r.max_management_permille,
            r.management_exempt_below_fen,
            r.effective_from,
            r.effective_to,
        )
        for r in OrganisationRule.objects.all()
    }
    income, assets, since = "previous_income_or_average", "previous_net_assets_or_average", datetime.date(2016, 9, 1)
    assert rows == {
        ("foundation", True, 0, None): (income, 700, None, 100, 0, since, None),
        ("other", True, 0, None): (income, 700, None, 130, 20 * WAN, since, None),
        ("foundation", False, 6000 * WAN, None): (assets, 60, None, 120, 20 * WAN, since, None),
        ("foundation", False, 800 * WAN, 6000 * WAN): (assets, 60, None, 130, 20 * WAN, since, None),
        ("foundation", False, 400 * WAN, 800 * WAN): (assets, 70, None, 150, 20 * WAN, since, None),
        ("foundation", False, 0, 400 * WAN): (assets, 80, None, 200, 20 * WAN, since, None),
        ("other", False, 1000 * WAN, None): (assets, 60, None, 130, 20 * WAN, since, None),
        ("other", False, 500 * WAN, 1000 * WAN): (assets, 70, None, 140, 20 * WAN, since, None),
        ("other", False, 100 * WAN, 500 * WAN): (assets, 80, None, 150, 20 * WAN, since, None),
        ("other", False, 0, 100 * WAN): (assets, 80, 500, 200, 20 * WAN, since, None),
    }


@pytest.mark.parametrize(
    ("assets", "spending", "management"),
    [
        (6000 * WAN, 60, 120),  # 高于6000万元（含本数）
        (6000 * WAN - 1, 60, 130),
        (800 * WAN, 60, 130),
        (800 * WAN - 1, 70, 150),
        (400 * WAN, 70, 150),
        (400 * WAN - 1, 80, 200),
        (0, 80, 200),
    ],
)
def test_a_foundation_without_public_fundraising_is_banded_by_last_year_end_net_assets(
    private_foundation: Organisation, assets: int, spending: int, management: int
) -> None:
    net_assets(private_foundation, assets)
    outcome = organisation_checks(organisation=private_foundation, year=2025)
    assert outcome.rule is not None
    assert (outcome.rule.min_spending_permille, outcome.rule.max_management_permille) == (spending, management)
    assert outcome.checks[0].required_fen == -(-assets * spending // 1000)


@pytest.mark.parametrize(
    ("assets", "spending", "income", "management"),
    [
        (1000 * WAN, 60, None, 130),
        (1000 * WAN - 1, 70, None, 140),
        (500 * WAN, 70, None, 140),
        (500 * WAN - 1, 80, None, 150),
        (100 * WAN, 80, None, 150),
        (100 * WAN - 1, 80, 500, 200),
    ],
)
def test_a_social_organisation_without_public_fundraising_is_banded_by_its_net_assets(
    world: Any, assets: int, spending: int, income: int | None, management: int
) -> None:
    net_assets(world.no_fundraising, assets)
    outcome = organisation_checks(organisation=world.no_fundraising, year=2025)
    assert outcome.rule is not None
    rule = outcome.rule
    assert (rule.min_spending_permille, rule.min_income_permille, rule.max_management_permille) == (
        spending,
        income,
        management,
    )
    assert len(outcome.checks) == (3 if income else 2)


def test_spending_exactly_at_the_ratio_meets_it_and_one_fen_less_does_not(
    world: Any, private_foundation: Organisation
) -> None:
    net_assets(private_foundation, 6000 * WAN)  # 6% → 360万元
    entry(world, "spent", 360 * WAN - 1, 2025, use="charitable")
    assert organisation_checks(organisation=private_foundation, year=2025).checks[0].ok is False
    entry(world, "spent", 1, 2025, use="charitable")
    spending = organisation_checks(organisation=private_foundation, year=2025).checks[0]
    assert spending.required_fen == 360 * WAN and spending.actual_fen == 360 * WAN and spending.ok is True


def test_a_public_fundraising_foundation_must_spend_70_percent_of_last_years_income(world: Any) -> None:
    entry(world, "received", 1_000_000, 2024)
    entry(world, "received", 1_000_000, 2023)
    entry(world, "received", 1_000_000, 2022)
    entry(world, "spent", 650_000, 2025, use="charitable")
    entry(world, "spent", 50_000, 2025, use="management")
    outcome = organisation_checks(organisation=world.foundation, year=2025)
    assert outcome.rule is not None and outcome.rule.min_spending_permille == 700
    spending, management = outcome.checks
    assert spending.required_fen == 700_000 and spending.ok is False
    assert management.required_fen == 70_000 and management.ok is True


def test_the_three_year_average_of_income_may_stand_for_last_years(world: Any) -> None:
    entry(world, "received", 3_000_000, 2024)  # a bumper year: 70% of it would be 2,100,000
    entry(world, "received", 1, 2023)
    entry(world, "received", 2, 2022)
    entry(world, "spent", 700_001, 2025, use="charitable")
    spending = organisation_checks(organisation=world.foundation, year=2025).checks[0]
    assert spending.required_fen == 700_001 and spending.ok is True  # 70% of (3,000,003 / 3)


def test_the_three_year_average_of_net_assets_may_stand_for_last_years(
    world: Any, private_foundation: Organisation
) -> None:
    net_assets(private_foundation, 1000 * WAN, 2024)  # band 800万–6000万: 6%
    net_assets(private_foundation, 500 * WAN, 2023)
    net_assets(private_foundation, 300 * WAN, 2022)
    entry(world, "spent", 36 * WAN, 2025, use="charitable")
    spending = organisation_checks(organisation=private_foundation, year=2025).checks[0]
    assert spending.required_fen == 36 * WAN and spending.ok is True  # 6% of 600万 rather than of 1000万


def test_the_smallest_organisations_also_spend_half_of_last_years_income(world: Any) -> None:
    org = world.no_fundraising
    net_assets(org, 50 * WAN)  # under 100万元: 8% of net assets and 50% of last year's income
    for year in (2022, 2023, 2024):  # the same each year, so the three-year average is no lower
        entry(world, "received", 100 * WAN, year, recipient=org)
    entry(world, "spent", 10 * WAN, 2025, use="charitable", recipient=org)
    assets_check, income_check, _ = organisation_checks(organisation=org, year=2025).checks
    assert assets_check.required_fen == 4 * WAN and assets_check.ok is True
    assert income_check.required_fen == 50 * WAN and income_check.ok is False


def test_management_costs_under_200000_yuan_are_not_held_to_the_ratio(world: Any) -> None:
    org = world.no_fundraising
    net_assets(org, 50 * WAN)
    entry(world, "spent", 10 * WAN, 2025, use="charitable", recipient=org)
    entry(world, "spent", 20 * WAN - 1, 2025, use="management", recipient=org)
    management = organisation_checks(organisation=org, year=2025).checks[-1]
    assert management.ok is True and management.note == MANAGEMENT_EXEMPT
    entry(world, "spent", 1, 2025, use="management", recipient=org)  # exactly 20万元: the ratio applies
    management = organisation_checks(organisation=org, year=2025).checks[-1]
    assert management.ok is False and not management.note


def test_management_costs_above_ten_percent_of_spending_fail_the_check(world: Any) -> None:
    """The law's 10% for a foundation with public-fundraising status has no small-amount exemption."""
    entry(world, "spent", 800_000, 2025, use="charitable")
    entry(world, "spent", 200_000, 2025, use="management")
    management = organisation_checks(organisation=world.foundation, year=2025).checks[-1]
    assert management.ok is False


def test_without_last_years_net_assets_the_band_cannot_be_chosen(
    client: Any, world: Any, personas: dict[str, Any], private_foundation: Organisation
) -> None:
    outcome = organisation_checks(organisation=private_foundation, year=2025)
    assert outcome.rule is None and outcome.net_assets_missing
    client.force_login(personas["district_admin"])
    body = client.get(f"/charity/organisations/{private_foundation.pk}/checks/?year=2025").content.decode()
    assert "2024" in body and "charity-ok" not in body and "charity-fail" not in body


def test_the_checks_page_is_not_found_outside_the_area(client: Any, world: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["other_community_worker"])
    assert client.get(f"/charity/organisations/{world.station.pk}/checks/").status_code == 404
    client.force_login(personas["district_admin"])
    body = client.get(f"/charity/organisations/{world.foundation.pk}/checks/?year=2025").content.decode()
    assert body.count("charity-ok") == 2
