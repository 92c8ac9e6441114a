"""Organisation checks (年度支出与管理费用检查): the rules table applied per organisation per year,
from the ledger entries the organisation received and spent (not per project).

What the checks follow (慈善法第六十一条; 民政部 财政部 国家税务总局《关于慈善组织开展慈善活动年度支出和
管理费用的规定》2016, "the 2016 rules"):
- the size band is chosen by the net assets at the end of the previous year, a band's lower bound
  included ("高于…（含本数）") and its upper bound excluded ("低于…");
- an organisation may measure its spending against the three-year average of its income or of its
  year-end net assets instead of last year's (2016 rules art. 10): the check passes if either does;
- the smallest organisations without public-fundraising status also spend at least half of last
  year's income (art. 9(4));
- management costs under 200,000 yuan are not held to the ratio (art. 11, for the rows of art. 7–9;
  a foundation with public-fundraising status stays under the law's 10%);
- "at least" is met by the exact amount; amounts are whole fen, compared without rounding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from jishiyu.charity.models import LedgerEntry, OrganisationRule, OrganisationYear
from jishiyu.organisations.models import Organisation

CHARITABLE_KINDS = (Organisation.Kind.FOUNDATION, Organisation.Kind.SOCIAL, Organisation.Kind.STATION)
NET_ASSET_BASES = (OrganisationRule.Basis.PREVIOUS_NET_ASSETS, OrganisationRule.Basis.PREVIOUS_NET_ASSETS_OR_AVERAGE)
AVERAGE_BASES = (
    OrganisationRule.Basis.PREVIOUS_INCOME_OR_AVERAGE,
    OrganisationRule.Basis.PREVIOUS_NET_ASSETS_OR_AVERAGE,
)
MANAGEMENT_EXEMPT = _("Under 200,000 yuan: not held to the ratio")


@dataclass
class Check:
    """One rule checked: what is required, what the ledger shows, and whether it holds."""

    label: Any
    required_fen: int | None
    actual_fen: int
    ok: bool | None  # None: not enough data (e.g. net assets not reported)
    at_least: bool = True  # the actual must reach the required amount (else: stay within it)
    note: Any = ""


@dataclass
class Outcome:
    """The rule in force for one organisation and year, and its checks."""

    rule: OrganisationRule | None
    checks: list[Check] = field(default_factory=list)
    net_assets_missing: bool = False  # the size band needs last year's net assets, and none are recorded


def _year_sums(organisation: Organisation, year: int) -> dict[str, int]:
    entries = LedgerEntry.objects.filter(recipient=organisation, created_at__year=year).order_by()
    row = entries.aggregate(
        received=Sum("amount_fen", filter=Q(kind="received"), default=0),
        refunded=Sum("amount_fen", filter=Q(kind="refunded"), default=0),
        charitable=Sum("amount_fen", filter=Q(kind="spent", use="charitable"), default=0),
        management=Sum("amount_fen", filter=Q(kind="spent", use="management"), default=0),
    )
    return {
        "income": int(row["received"]) - int(row["refunded"]),
        "charitable": int(row["charitable"]),
        "management": int(row["management"]),
    }


def _rules_in_force(organisation: Organisation, year: int) -> list[OrganisationRule]:
    kind = organisation.kind if organisation.kind == Organisation.Kind.FOUNDATION else "other"
    on = date(year, 12, 31)
    return list(
        OrganisationRule.objects.filter(
            org_kind=kind, public_fundraising=organisation.public_fundraising, effective_from__lte=on
        ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
    )


def _in_band(rule: OrganisationRule, net_assets_fen: int) -> bool:
    return net_assets_fen >= rule.min_net_assets_fen and (
        rule.max_net_assets_fen is None or net_assets_fen < rule.max_net_assets_fen
    )


def rule_for(organisation: Organisation, year: int, net_assets_fen: int | None) -> OrganisationRule | None:
    """The rule in force on 31 December of ``year`` for this organisation's kind, status and size band
    (None when the bands need net assets that are not recorded)."""
    for rule in _rules_in_force(organisation, year):
        if rule.basis not in NET_ASSET_BASES:
            return rule
        if net_assets_fen is not None and _in_band(rule, net_assets_fen):
            return rule
    return None


def _at_least(permille: int, basis: int) -> int:
    """The smallest whole number of fen that is at least ``permille`` ‰ of ``basis``."""
    return -(-basis * permille // 1000)


def _lower_basis(previous: int, averaged: list[int]) -> int:
    """Last year's figure, or the three-year average when all three years are known and it is lower
    (the organisation may use either; the check passes if either is met)."""
    if len(averaged) == 3:
        return min(previous, sum(averaged) // 3)
    return previous


def organisation_checks(*, organisation: Organisation, year: int) -> Outcome:
    """年度检查: charitable spending against its basis, management costs against the year's spending."""
    if organisation.kind not in CHARITABLE_KINDS:
        return Outcome(None)
    years = {
        row.year: row.net_assets_fen
        for row in OrganisationYear.objects.filter(organisation=organisation, year__in=range(year - 3, year))
    }
    net_assets = years.get(year - 1)
    rule = rule_for(organisation, year, net_assets)
    if rule is None:
        in_force = _rules_in_force(organisation, year)
        return Outcome(
            None, net_assets_missing=net_assets is None and any(r.basis in NET_ASSET_BASES for r in in_force)
        )
    this = _year_sums(organisation, year)
    incomes = [_year_sums(organisation, y)["income"] for y in (year - 1, year - 2, year - 3)]
    income = _lower_basis(incomes[0], incomes) if rule.basis in AVERAGE_BASES else incomes[0]
    if rule.basis in NET_ASSET_BASES:
        previous = int(net_assets or 0)  # rule_for chose the band by it
        known = [years[y] for y in (year - 1, year - 2, year - 3) if y in years]
        basis = _lower_basis(previous, known) if rule.basis in AVERAGE_BASES else previous
        spending_label = _("Charitable spending (against last year-end net assets)")
    else:
        basis = income
        spending_label = _("Charitable spending (against last year's income)")
    required = _at_least(rule.min_spending_permille, basis)
    checks = [Check(spending_label, required, this["charitable"], this["charitable"] >= required)]
    if rule.min_income_permille:
        required = _at_least(rule.min_income_permille, income)
        checks.append(
            Check(
                _("Charitable spending (against last year's income)"),
                required,
                this["charitable"],
                this["charitable"] >= required,
            )
        )
    total_spent = this["charitable"] + this["management"]
    cap = total_spent * rule.max_management_permille // 1000
    exempt = this["management"] < rule.management_exempt_below_fen
    checks.append(
        Check(
            _("Management costs"),
            cap,
            this["management"],
            exempt or this["management"] <= cap,
            at_least=False,
            note=MANAGEMENT_EXEMPT if exempt and this["management"] > cap else "",
        )
    )
    return Outcome(rule, checks)
