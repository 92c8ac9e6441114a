"""Organisation checks (慈善法第六十一条): per organisation per year, from the ledger, by the rules table."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from jishiyu.charity.models import LedgerEntry, OrganisationYear
from jishiyu.charity.rules import organisation_checks


def entry(world: Any, kind: str, amount: int, year: int, use: str = "") -> None:
    LedgerEntry.objects.create(
        project=world.project,
        source=world.district_source,
        recipient=world.foundation,
        kind=kind,
        amount_fen=amount,
        use=use,
        created_at=timezone.make_aware(datetime.datetime(year, 6, 1)),
    )


def test_a_public_fundraising_foundation_must_spend_70_percent_of_last_years_income(world: Any) -> None:
    entry(world, "received", 1_000_000, 2024)
    entry(world, "received", 1_000_000, 2023)
    entry(world, "received", 1_000_000, 2022)
    entry(world, "spent", 650_000, 2025, use="charitable")
    entry(world, "spent", 50_000, 2025, use="management")
    rule, checks = organisation_checks(organisation=world.foundation, year=2025)
    assert rule is not None and rule.min_spending_permille == 700
    spending, management = checks
    assert spending.required_fen == 700_000 and spending.ok is False
    assert management.required_fen == 70_000 and management.ok is True


def test_management_costs_above_ten_percent_of_spending_fail_the_check(world: Any) -> None:
    entry(world, "spent", 800_000, 2025, use="charitable")
    entry(world, "spent", 200_000, 2025, use="management")
    _, (_, management) = organisation_checks(organisation=world.foundation, year=2025)
    assert management.ok is False


def test_a_foundation_without_public_fundraising_is_measured_against_its_net_assets(world: Any) -> None:
    world.foundation.public_fundraising = False
    world.foundation.save()
    OrganisationYear.objects.create(organisation=world.foundation, year=2024, net_assets_fen=10_000_000 * 100)
    entry(world, "spent", 700_000 * 100, 2025, use="charitable")
    rule, (spending, _) = organisation_checks(organisation=world.foundation, year=2025)
    assert rule is not None and rule.min_spending_permille == 60  # the 8–60 million band
    assert spending.required_fen == 600_000 * 100 and spending.ok is True


def test_the_checks_page_is_not_found_outside_the_area(client: Any, world: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["other_community_worker"])
    assert client.get(f"/charity/organisations/{world.station.pk}/checks/").status_code == 404
    client.force_login(personas["district_admin"])
    body = client.get(f"/charity/organisations/{world.foundation.pk}/checks/?year=2025").content.decode()
    assert body.count("charity-ok") == 2
