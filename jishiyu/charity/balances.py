"""Balances (余额) computed from the ledger: nothing is stored, so they always add up.

Per project and source: held = received − refunded − allocated (money in hand, not yet assigned)
and unspent = allocated − spent. Neither may go below zero."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum

KINDS = ("pledged", "received", "allocated", "spent", "refunded")


@dataclass
class Balance:
    """Sums of one group of ledger entries, in fen."""

    pledged: int = 0
    received: int = 0
    allocated: int = 0
    spent: int = 0
    refunded: int = 0

    def add(self, kind: str, amount: int) -> None:
        setattr(self, kind, getattr(self, kind) + amount)

    @property
    def held(self) -> int:
        return self.received - self.refunded - self.allocated

    @property
    def unspent(self) -> int:
        return self.allocated - self.spent

    @property
    def net_received(self) -> int:
        return self.received - self.refunded

    def __iadd__(self, other: Balance) -> Balance:
        for kind in KINDS:
            self.add(kind, getattr(other, kind))
        return self

    def as_dict(self) -> dict[str, int]:
        data = {kind: getattr(self, kind) for kind in KINDS}
        data.update(held=self.held, unspent=self.unspent)
        return data


def _sums() -> dict[str, Any]:
    return {kind: Sum("amount_fen", filter=Q(kind=kind), default=0) for kind in KINDS}


def balance_of(entries: QuerySet[Any]) -> Balance:
    """The balance of a set of entries (one query)."""
    row = entries.order_by().aggregate(**_sums())
    return Balance(**{kind: int(row[kind]) for kind in KINDS})


def balances_by(entries: QuerySet[Any], field: str) -> dict[Any, Balance]:
    """Balances grouped by one field ("project", "source", "recipient"): one query."""
    rows = entries.order_by().values(field).annotate(**_sums())
    return {row[field]: Balance(**{kind: int(row[kind]) for kind in KINDS}) for row in rows}
