"""API schemas of the charity app (公益行). Money is integer fen; public schemas carry public fields only."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class BalanceOut(Schema):
    pledged: int
    received: int
    allocated: int
    spent: int
    refunded: int
    held: int
    unspent: int


class ProjectOut(Schema):
    id: int
    name: str
    region_id: int
    runner_kind: str
    recipient_id: int
    recipient_name: str
    public_fundraising: bool
    goal: str
    budget_fen: int
    beneficiaries: str
    status: str


class ProjectCreateIn(Schema):
    name: str
    region_id: int
    runner_kind: str
    runner_id: int | None = None
    recipient_id: int
    goal: str = ""
    budget_fen: int
    beneficiaries: str = ""


class SourceBalanceOut(Schema):
    source_id: int
    source_kind: str
    source_name: str
    balance: BalanceOut


class UseOut(Schema):
    amount_fen: int
    use: str
    note: str
    source_name: str
    created_at: datetime


class ProjectPublicOut(Schema):
    """The public page's data: explicit public fields, where the money came from and where it went."""

    project: ProjectOut
    total: BalanceOut
    by_source: list[SourceBalanceOut]
    uses: list[UseOut]


class LedgerEntryOut(Schema):
    id: int
    project_id: int
    source_id: int
    recipient_id: int
    kind: str
    amount_fen: int
    use: str
    note: str
    reverses_id: int | None
    created_at: datetime


class LedgerRecordIn(Schema):
    project_id: int
    source_id: int
    kind: str
    # Any JSON number is accepted here so that the service answers a fraction of a fen in words.
    amount_fen: int | float
    use: str = ""
    note: str = ""


class LedgerCorrectIn(Schema):
    note: str = ""


class NeedOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    project_id: int
    roadshow_id: int | None
    beneficiary_masked: str
    shares_total: int
    shares_claimed: int
    share_fen: int
    status: str


class NeedCreateIn(Schema):
    project_id: int
    kind: str
    title: str
    description: str = ""
    shares_total: int = 1
    share_fen: int | float
    roadshow_id: int | None = None
    person_id: int | None = None


class ClaimCreateIn(Schema):
    shares: int = 1
    via: str = "scan"
    donor_name: str = ""
    donor_id: int | None = None


class ClaimOut(Schema):
    id: int
    need_id: int
    donor_name: str
    shares: int
    amount_fen: int
    via: str
    status: str
    created_at: datetime


class DonationCreateIn(Schema):
    project_id: int
    amount_fen: int | float
    anonymous: bool = False


class DonationOut(Schema):
    id: int
    project_id: int
    amount_fen: int
    anonymous: bool
    status: str
    provider: str
    receipt_number: str
    created_at: datetime


class PayeeOut(Schema):
    """收款信息: where an offline donation is paid."""

    name: str
    bank: str
    account: str
    office_address: str
    office_hours: str


class DonationStartOut(Schema):
    donation: DonationOut
    instructions: str
    redirect_url: str
    reference: str = ""
    payee: PayeeOut | None = None


class DonationConfirmIn(Schema):
    receipt_number: str = ""
    provider_reference: str = ""


class RoadshowTotalsOut(Schema):
    pledged: int
    received: int
    claims: int
    needs: int
    needs_covered: int
