"""Organisation checks (年度支出与管理费用检查): the rules table applied per organisation per year,
from the ledger entries the organisation received and spent (not per project)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from jishiyu.charity.models import LedgerEntry, OrganisationRule, OrganisationYear
from jishiyu.organisations.models import Organisation

CHARITABLE_KINDS = (Organisation.Kind.FOUNDATION, Organisation.Kind.SOCIAL, Organisation.Kind.STATION)


@dataclass
class Check:
    """One rule checked: what is required, what the ledger shows, and whether it holds."""

    label: Any
    required_fen: int | None
    actual_fen: int
    ok: bool | None  # None: not enough data (e.g. net assets not reported)


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


def rule_for(organisation: Organisation, year: int, net_assets_fen: int | None) -> OrganisationRule | None:
    """The rule in force on 31 December of ``year`` for this organisation's kind, status and size."""
    kind = organisation.kind if organisation.kind == Organisation.Kind.FOUNDATION else "other"
    on = date(year, 12, 31)
    rules = OrganisationRule.objects.filter(
        org_kind=kind, public_fundraising=organisation.public_fundraising, effective_from__lte=on
    ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
    for rule in rules:
        if net_assets_fen is None or rule.basis != OrganisationRule.Basis.PREVIOUS_NET_ASSETS:
            return rule
        if net_assets_fen >= rule.min_net_assets_fen and (
            rule.max_net_assets_fen is None or net_assets_fen < rule.max_net_assets_fen
        ):
            return rule
    return None


def organisation_checks(*, organisation: Organisation, year: int) -> tuple[OrganisationRule | None, list[Check]]:
    """年度检查: charitable spending against its basis, management costs against the year's spending."""
    if organisation.kind not in CHARITABLE_KINDS:
        return None, []
    previous = OrganisationYear.objects.filter(organisation=organisation, year=year - 1).first()
    net_assets = previous.net_assets_fen if previous else None
    rule = rule_for(organisation, year, net_assets)
    if rule is None:
        return None, []
    this = _year_sums(organisation, year)
    if rule.basis == OrganisationRule.Basis.PREVIOUS_NET_ASSETS:
        basis = net_assets
    else:
        incomes = [_year_sums(organisation, y)["income"] for y in (year - 1, year - 2, year - 3)]
        basis = incomes[0]
        if rule.basis == OrganisationRule.Basis.PREVIOUS_INCOME_OR_AVERAGE:
            basis = min(incomes[0], sum(incomes) // 3)  # the organisation may use the lower basis
    spending_required = None if basis is None else basis * rule.min_spending_permille // 1000
    total_spent = this["charitable"] + this["management"]
    management_cap = total_spent * rule.max_management_permille // 1000
    return rule, [
        Check(
            _("Charitable spending"),
            spending_required,
            this["charitable"],
            None if spending_required is None else this["charitable"] >= spending_required,
        ),
        Check(_("Management costs"), management_cap, this["management"], this["management"] <= management_cap),
    ]
