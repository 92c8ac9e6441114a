"""Charity services (公益行): the only place that writes projects, the ledger, needs, claims, donations
and roadshows. Each checks the actor's scope, validates, and is atomic: a refusal leaves the ledger unchanged."""

from __future__ import annotations

import importlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jishiyu.charity.balances import Balance, balance_of
from jishiyu.charity.models import (
    PHOTO_EXTENSIONS,
    Claim,
    Donation,
    FundingSource,
    LedgerEntry,
    Need,
    ProgressReport,
    Project,
    Roadshow,
)
from jishiyu.charity.permissions import (
    CHANGE,
    FINANCE,
    RECORD_CLAIM,
    VIEW,
    donation_policy,
    need_policy,
    project_policy,
    roadshow_policy,
    source_policy,
)
from jishiyu.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from jishiyu.core.masking import mask_name
from jishiyu.core.memo import Memo
from jishiyu.core.scope import path_in_scope
from jishiyu.core.uploads import EXTENSION_OF, rename_photo, sniff_image_type
from jishiyu.organisations.models import Organisation
from jishiyu.people.models import Consent, Person
from jishiyu.people.permissions import person_policy
from jishiyu.regions.models import Region

AMOUNT_NOT_INTEGER = _("Amounts are whole fen (at most two decimals in yuan).")
AMOUNT_NOT_POSITIVE = _("The amount must be more than 0.")
AMOUNT_INVALID = _("Enter an amount, e.g. 120 or 120.50.")
AMOUNT_TOO_LARGE = _("The amount is too large: at most 10,000,000,000 yuan in one entry.")
MAX_FEN = 10**12  # 100亿元: far above any entry, far below the 64-bit column
ALLOCATION_EXCEEDS = _("This would allocate or refund more than the project holds from this source.")
SPENDING_EXCEEDS = _("This would spend more than has been allocated from this source.")
ALREADY_REVERSED = _("This entry has already been corrected.")
CANNOT_REVERSE_CORRECTION = _("A correction cannot itself be corrected: record a new entry.")
UNKNOWN_KIND = _("Unknown kind of entry.")
USE_ONLY_FOR_SPENDING = _("Only spending names a use.")
REGION_OUT_OF_SCOPE = _("This place is outside your area.")
NAME_REQUIRED = _("Give it a name.")
RUNNER_REQUIRED = _("A project run by a social organisation names that organisation.")
NEED_COVERED = _("This need is already fully claimed.")
NEED_WITHDRAWN = _("This need has been withdrawn.")
OVER_CLAIM = _("Only %(left)s share(s) of this need are left.")
SHARES_INVALID = _("Claim at least one share.")
SMALL_WISH_WHOLE = _("A small wish is claimed whole, by one donor.")
OTHER_NAME = _("You can only claim in your own name.")
DONOR_NAME_REQUIRED = _("Enter the donor's name.")
NO_CONSENT = _("This person has not agreed to have their needs posted publicly.")
PHOTO_REQUIRED = _("A photo of the delivery is required to confirm a claim.")
PHOTO_TYPE = _("The photo must be a JPEG, PNG or WebP image.")
ALREADY_FULFILLED = _("This claim is already fulfilled.")
NOT_PUBLIC_FUNDRAISING = _(
    "The receiving organisation of this project has no public-fundraising status: it cannot take donations "
    "from the public."
)
PROJECT_NOT_PUBLISHED = _("This project is not open for donations.")
ALREADY_CONFIRMED = _("This donation is already confirmed.")
SIGN_IN_REQUIRED = _("Sign in first.")


# --- money --------------------------------------------------------------------------------------


def fen_from_yuan(text: str | int | Decimal, *, field: str = "amount") -> int:
    """Parse a yuan amount typed by a person ("120", "120.50") into fen; refuse fractions of a fen."""
    try:
        value = Decimal(str(text).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationFailed({field: AMOUNT_INVALID}) from None
    if not value.is_finite():
        raise ValidationFailed({field: AMOUNT_INVALID})
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValidationFailed({field: AMOUNT_NOT_INTEGER})
    return check_fen(int(fen), field=field)


def check_fen(amount: Any, *, field: str = "amount_fen") -> int:
    """A positive whole number of fen, or a clear refusal naming the field."""
    if isinstance(amount, bool):
        raise ValidationFailed({field: AMOUNT_INVALID})
    if isinstance(amount, float | Decimal):
        if not math.isfinite(amount):
            raise ValidationFailed({field: AMOUNT_INVALID})
        if abs(float(amount)) > MAX_FEN:
            raise ValidationFailed({field: AMOUNT_TOO_LARGE})
        if amount != int(amount):
            raise ValidationFailed({field: AMOUNT_NOT_INTEGER})
        amount = int(amount)
    if not isinstance(amount, int):
        raise ValidationFailed({field: AMOUNT_INVALID})
    if amount <= 0:
        raise ValidationFailed({field: AMOUNT_NOT_POSITIVE})
    if amount > MAX_FEN:
        raise ValidationFailed({field: AMOUNT_TOO_LARGE})
    return amount


def _require_region(actor: Any, permission: str, region: Region) -> None:
    if not path_in_scope(region.path, actor.region_paths_for(permission)):
        raise DomainError(REGION_OUT_OF_SCOPE, field="region", code="region_out_of_scope")


def _public_sources() -> dict[int, int]:
    rows = FundingSource.objects.filter(kind=FundingSource.Kind.PUBLIC, organisation=None).order_by("-pk")
    return dict(rows.values_list("region_id", "pk"))  # the lowest pk per district wins


public_sources: Memo[dict[int, int]] = Memo("charity.public_sources", _public_sources)


@receiver(post_save, sender=FundingSource, dispatch_uid="charity.public_sources.saved")
@receiver(post_delete, sender=FundingSource, dispatch_uid="charity.public_sources.deleted")
def _public_sources_changed(**kwargs: Any) -> None:
    public_sources.clear()


def public_source_id(project: Project) -> int:
    """The id of the district's 'public donations' source, made on first use. Read on every claim at a
    roadshow, so it comes from a per-process memo (``jishiyu.core.memo``), not a query.

    The district is the root of the project's region path, so no region row is read."""
    root_id = project.region.ancestor_ids()[0]
    found = public_sources.get().get(root_id)
    if found is None:
        found = FundingSource.objects.create(
            kind=FundingSource.Kind.PUBLIC, region_id=root_id, name=str(_("Public donations"))
        ).pk
    return int(found)


# --- projects and sources -----------------------------------------------------------------------


@transaction.atomic
def source_create(
    *, actor: Any, kind: str, name: str, region: Region, organisation: Organisation | None = None
) -> FundingSource:
    """登记资金来源 (five kinds)."""
    if not actor.has_perm_anywhere(FINANCE):
        raise PermissionDenied()
    _require_region(actor, FINANCE, region)
    errors: dict[str, Any] = {}
    if kind not in FundingSource.Kind.values:
        errors["kind"] = UNKNOWN_KIND
    if not (name or "").strip():
        errors["name"] = NAME_REQUIRED
    if errors:
        raise ValidationFailed(errors)
    return FundingSource.objects.create(kind=kind, name=name.strip(), region=region, organisation=organisation)


@transaction.atomic
def project_create(
    *,
    actor: Any,
    name: str,
    region: Region,
    runner_kind: str,
    recipient: Organisation,
    goal: str,
    budget_fen: Any,
    beneficiaries: str,
    runner: Organisation | None = None,
) -> Project:
    """立项: a project of a community or a social organisation, with its receiving organisation."""
    if not actor.has_perm_anywhere(CHANGE):
        raise PermissionDenied()
    _require_region(actor, CHANGE, region)
    errors: dict[str, Any] = {}
    if not (name or "").strip():
        errors["name"] = NAME_REQUIRED
    if runner_kind not in Project.RunnerKind.values:
        errors["runner_kind"] = UNKNOWN_KIND
    elif runner_kind == Project.RunnerKind.SOCIAL_ORGANISATION and runner is None:
        errors["runner"] = RUNNER_REQUIRED
    try:
        budget_fen = check_fen(budget_fen, field="budget_fen")
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    return Project.objects.create(
        name=name.strip(),
        region=region,
        runner_kind=runner_kind,
        runner=runner,
        recipient=recipient,
        goal=goal,
        budget_fen=budget_fen,
        beneficiaries=beneficiaries,
    )


@transaction.atomic
def project_set_status(*, actor: Any, project: Project, status: str) -> Project:
    """发布/结项: publishing makes the project's public fields public."""
    project_policy.require(actor, CHANGE, project)
    if status not in Project.Status.values:
        raise ValidationFailed({"status": UNKNOWN_KIND})
    project.status = status
    project.save(update_fields=["status"])
    return project


def _check_photo(photo: UploadedFile | None, *, required: bool) -> None:
    if photo is None:
        if required:
            raise ValidationFailed({"photo": PHOTO_REQUIRED})
        return
    extension = (photo.name or "").rsplit(".", 1)[-1].lower()
    if extension not in PHOTO_EXTENSIONS or EXTENSION_OF.get(sniff_image_type(photo) or "") not in PHOTO_EXTENSIONS:
        raise ValidationFailed({"photo": PHOTO_TYPE})
    rename_photo(photo)


@transaction.atomic
def report_add(*, actor: Any, project: Project, text: str, photo: UploadedFile | None = None) -> ProgressReport:
    """项目进展: a progress report with an optional photo."""
    project_policy.require(actor, CHANGE, project)
    if not (text or "").strip():
        raise ValidationFailed({"text": _("Write what has happened.")})
    _check_photo(photo, required=False)
    report = ProgressReport(project=project, text=text.strip(), author=actor)
    if photo is not None:
        report.photo = photo
    report.save()
    return report


# --- the ledger ---------------------------------------------------------------------------------


def _violation(balance: Balance) -> Any:
    if balance.held < 0:
        return ALLOCATION_EXCEEDS
    if balance.unspent < 0:
        return SPENDING_EXCEEDS
    return None


def _append(
    *,
    project: Project,
    source_id: int,
    kind: str,
    amount_fen: int,
    recorded_by: Any,
    use: str = "",
    note: str = "",
    reverses: LedgerEntry | None = None,
    claim: Claim | None = None,
    donation: Donation | None = None,
) -> LedgerEntry:
    """Append one entry after checking that the project's balance from this source stays whole.

    The project row is locked first (select_for_update; SQLite serialises writers anyway), so two
    allocations racing for the same money cannot both pass the check."""
    if kind != LedgerEntry.Kind.PLEDGED:
        Project.objects.select_for_update().filter(pk=project.pk).first()
        after = balance_of(LedgerEntry.objects.filter(project=project, source_id=source_id))
        after.add(kind, amount_fen)
        problem = _violation(after)
        if problem is not None:
            raise DomainError(problem, field="amount_fen", code="insufficient_funds")
    return LedgerEntry.objects.create(
        project=project,
        source_id=source_id,
        recipient_id=project.recipient_id,
        kind=kind,
        amount_fen=amount_fen,
        use=use,
        note=(note or "")[:200],
        reverses=reverses,
        claim=claim,
        donation=donation,
        recorded_by=recorded_by,
    )


@transaction.atomic
def ledger_record(
    *,
    actor: Any,
    project: Project,
    source: FundingSource,
    kind: str,
    amount_fen: Any,
    use: str = "",
    note: str = "",
) -> LedgerEntry:
    """记账: pledged, received, allocated, spent or refunded; refused if a balance would go below zero."""
    project_policy.require(actor, FINANCE, project)
    if not source_policy.allows(actor, VIEW, source) and source.region_id != project.region.ancestor_ids()[0]:
        raise NotFound()
    errors: dict[str, Any] = {}
    if kind not in LedgerEntry.Kind.values:
        errors["kind"] = UNKNOWN_KIND
    if use and kind != LedgerEntry.Kind.SPENT:
        errors["use"] = USE_ONLY_FOR_SPENDING
    elif kind == LedgerEntry.Kind.SPENT and use not in LedgerEntry.Use.values:
        use = LedgerEntry.Use.CHARITABLE
    try:
        amount = check_fen(amount_fen)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    return _append(
        project=project, source_id=source.pk, kind=kind, amount_fen=amount, use=use, note=note, recorded_by=actor
    )


@transaction.atomic
def ledger_correct(*, actor: Any, entry: LedgerEntry, note: str = "") -> LedgerEntry:
    """更正: a new entry that reverses one; the original stays as it was."""
    project_policy.require(actor, FINANCE, entry.project)
    if entry.reverses_id is not None:
        raise DomainError(CANNOT_REVERSE_CORRECTION, code="correction_of_correction")
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise DomainError(ALREADY_REVERSED, code="already_reversed")
    return _append(
        project=entry.project,
        source_id=entry.source_id,
        kind=entry.kind,
        amount_fen=-entry.amount_fen,
        use=entry.use,
        note=note or str(_("Correction")),
        reverses=entry,
        recorded_by=actor,
    )


# --- needs and claims ---------------------------------------------------------------------------


@transaction.atomic
def need_create(
    *,
    actor: Any,
    project: Project,
    kind: str,
    title: str,
    share_fen: Any,
    shares_total: int = 1,
    description: str = "",
    roadshow: Roadshow | None = None,
    person: Person | None = None,
) -> Need:
    """发布需求: a small wish or a project need; a person's need only with their consent, name masked."""
    project_policy.require(actor, CHANGE, project)
    errors: dict[str, Any] = {}
    if kind not in Need.Kind.values:
        errors["kind"] = UNKNOWN_KIND
    if not (title or "").strip():
        errors["title"] = NAME_REQUIRED
    if kind == Need.Kind.SMALL_WISH and shares_total != 1:
        errors["shares_total"] = SMALL_WISH_WHOLE
    elif not isinstance(shares_total, int) or shares_total < 1:
        errors["shares_total"] = SHARES_INVALID
    try:
        share_fen = check_fen(share_fen, field="share_fen")
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    region = project.region
    masked = ""
    if person is not None:
        person = person_policy.get(actor, "people.view", pk=person.pk)
        if not Consent.objects.filter(person=person, purpose=Consent.Purpose.PUBLIC_NEED, granted=True).exists():
            raise DomainError(NO_CONSENT, field="person", code="no_consent")
        masked = mask_name(person.name)
        region = person.region
        _require_region(actor, CHANGE, region)
    if roadshow is not None:
        roadshow_policy.require(actor, CHANGE, roadshow)
    return Need.objects.create(
        kind=kind,
        title=title.strip(),
        description=description,
        project=project,
        region=region,
        roadshow=roadshow,
        person=person,
        beneficiary_masked=masked,
        shares_total=shares_total,
        share_fen=share_fen,
        posted_by=actor,
    )


@transaction.atomic
def need_withdraw(*, actor: Any, need: Need) -> Need:
    """撤回需求: no further claims; pledges already made stay."""
    need_policy.require(actor, CHANGE, need)
    need.status = Need.Status.WITHDRAWN
    need.save(update_fields=["status"])
    return need


def need_is_public(need: Need) -> bool:
    return need.project.status == Project.Status.PUBLISHED


def _claim_refusal(need: Need, shares: int) -> DomainError | None:
    """Why ``shares`` of this need cannot be claimed as the row stands, or None."""
    if need.status == Need.Status.WITHDRAWN:
        return DomainError(NEED_WITHDRAWN, code="need_withdrawn")
    if need.status == Need.Status.COVERED or need.shares_left <= 0:
        return DomainError(NEED_COVERED, code="need_covered")
    if shares > need.shares_left:
        return DomainError(OVER_CLAIM % {"left": need.shares_left}, field="shares", code="over_claim")
    return None


def _take_shares_sql() -> str:
    quote = connection.ops.quote_name
    table, claimed, total, status, pk = (
        quote(name)
        for name in (
            Need._meta.db_table,
            Need._meta.get_field("shares_claimed").column,
            Need._meta.get_field("shares_total").column,
            Need._meta.get_field("status").column,
            Need._meta.pk.column,
        )
    )
    # Only quoted names from the model's metadata go into the text; every value is a parameter.
    return (
        f"UPDATE {table} SET {claimed} = {claimed} + %s, "  # noqa: S608
        f"{status} = CASE WHEN {claimed} + %s >= {total} THEN %s ELSE {status} END "
        f"WHERE {pk} = %s AND {status} = %s AND {claimed} + %s <= {total}"
    )


def _take_shares(need_id: int, shares: int) -> int:
    """The one conditional UPDATE that takes ``shares`` of an open need (1 when taken, else 0) and marks
    it covered when they are the last. SET expressions see the row as it was, so the CASE asks whether
    these shares are the last. Written in SQL: it is the claim's arbiter and its hottest statement, and
    the ORM took 30 times longer to build it (2 ms) than the database to run it."""
    with connection.cursor() as cursor:
        cursor.execute(_take_shares_sql(), [shares, shares, Need.Status.COVERED, need_id, Need.Status.OPEN, shares])
        return int(cursor.rowcount)


def claim_create(
    *,
    actor: Any,
    need: Need,
    shares: int = 1,
    via: str = Claim.Via.SCAN,
    donor: Any = None,
    donor_name: str = "",
    source: FundingSource | None = None,
) -> Claim:
    """认领: a pledge on a need. Staff raise a card for a named donor; a donor claims only in their own name.

    Checks and reads come first, outside the transaction (on SQLite a transaction holds the one write
    lock from its first statement). The transaction writes the claim and its pledge, then takes the
    shares with one conditional UPDATE (open, enough left; it marks the need covered when the last
    share goes), so of many simultaneous claims on a small wish exactly one wins, on SQLite and
    PostgreSQL alike, and PostgreSQL holds the need's row lock only for the last statement before commit.
    Pass a need read by ``selectors.need_get_for_claim`` (project and regions joined): then the
    audit entries need no further reads."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(SIGN_IN_REQUIRED)
    if via == Claim.Via.CARD:
        need_policy.require(actor, RECORD_CLAIM, need)
        donor_name = (donor_name or "").strip() or (donor.name if donor is not None else "")
        if not donor_name:
            raise ValidationFailed({"donor_name": DONOR_NAME_REQUIRED})
    else:
        if not (need_is_public(need) or need_policy.allows(actor, VIEW, need)):
            raise NotFound()
        if (donor is not None and donor.pk != actor.pk) or (donor_name and donor_name.strip() != actor.name):
            raise DomainError(OTHER_NAME, field="donor", code="other_name")
        donor, donor_name = actor, actor.name or str(_("Donor"))
        if source is not None:
            raise DomainError(OTHER_NAME, field="source", code="other_name")
    if not isinstance(shares, int) or isinstance(shares, bool) or shares < 1:
        raise ValidationFailed({"shares": SHARES_INVALID})
    if need.kind == Need.Kind.SMALL_WISH and shares != 1:
        raise ValidationFailed({"shares": SMALL_WISH_WHOLE})
    refusal = _claim_refusal(need, shares)  # as read: a claim on a covered need costs no write
    if refusal is not None:
        raise refusal
    project = need.project
    source_id = source.pk if source is not None else public_source_id(project)
    with transaction.atomic():
        claim = Claim.objects.create(
            need=need,
            donor=donor,
            donor_name=donor_name[:80],
            source_id=source_id,
            shares=shares,
            amount_fen=shares * need.share_fen,
            via=via,
            recorded_by=actor,
        )
        _append(
            project=project,
            source_id=source_id,
            kind=LedgerEntry.Kind.PLEDGED,
            amount_fen=claim.amount_fen,
            claim=claim,
            recorded_by=actor,
            note=need.title,
        )
        taken = _take_shares(need.pk, shares)
        if not taken:
            raise _claim_refusal(Need.objects.get(pk=need.pk), shares) or DomainError(NEED_COVERED, code="need_covered")
    return claim


@transaction.atomic
def claim_fulfil(*, actor: Any, claim: Claim, photo: UploadedFile | None) -> Claim:
    """兑现认领: money received or goods delivered, confirmed with a photo; enters the ledger as received."""
    need_policy.require(actor, CHANGE, claim.need)
    _check_photo(photo, required=True)
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if locked.status == Claim.Status.FULFILLED:
        raise DomainError(ALREADY_FULFILLED, code="already_fulfilled")
    locked.photo = photo
    locked.status = Claim.Status.FULFILLED
    locked.fulfilled_at = timezone.now()
    locked.save(update_fields=["photo", "status", "fulfilled_at"])
    _append(
        project=locked.need.project,
        source_id=locked.source_id,
        kind=LedgerEntry.Kind.RECEIVED,
        amount_fen=locked.amount_fen,
        claim=locked,
        recorded_by=actor,
        note=locked.need.title,
    )
    return locked


# --- donations ----------------------------------------------------------------------------------


@dataclass
class PaymentStart:
    """What the donor is told after starting a payment: the instructions, and for an offline payment the
    reference to write on the transfer (附言) and where to pay (the project's payee account and office)."""

    instructions: str
    redirect_url: str = ""
    reference: str = ""
    payee: dict[str, str] | None = None


# The community's promise to a donor who claimed a need: the worker who posted it calls within this many
# working days to arrange the hand-over (settings.CHARITY_CLAIM_CONTACT_WORKING_DAYS).
CLAIM_CONTACT_WORKING_DAYS: int = int(getattr(settings, "CHARITY_CLAIM_CONTACT_WORKING_DAYS", 3))


def donation_reference(donation: Donation) -> str:
    """The words the donor writes in the transfer note, so the organisation finds the donation (捐赠附言)."""
    return str(_("Donation no. %(number)s") % {"number": donation.pk})


def payee_of(project: Project) -> dict[str, str]:
    """收款信息: the project's payee account and office, as published on the project."""
    return {
        "name": project.payee_name,
        "bank": project.payee_bank,
        "account": project.payee_account,
        "office_address": project.office_address,
        "office_hours": project.office_hours,
    }


class OfflinePayment:
    """The default provider: the donor pays by transfer or in person; staff confirm receipt."""

    name = "offline"

    def start(self, donation: Donation) -> PaymentStart:
        reference = donation_reference(donation)
        return PaymentStart(
            instructions=str(
                _(
                    "Pay by bank transfer to the account below, writing “%(reference)s” in the transfer note, "
                    "or pay at the office. The receiving organisation confirms it."
                )
                % {"reference": reference}
            ),
            reference=reference,
            payee=payee_of(donation.project),
        )


def payment_provider() -> Any:
    """The configured provider (settings.CHARITY_PAYMENT_PROVIDER, a dotted class path)."""
    path = getattr(settings, "CHARITY_PAYMENT_PROVIDER", "jishiyu.charity.services.OfflinePayment")
    module, _sep, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)()


@transaction.atomic
def donation_start(*, actor: Any, project: Project, amount_fen: Any, anonymous: bool = False) -> tuple[Donation, Any]:
    """捐赠: only to a published project whose receiving organisation may raise funds publicly."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(SIGN_IN_REQUIRED)
    if project.status != Project.Status.PUBLISHED:
        raise DomainError(PROJECT_NOT_PUBLISHED, code="not_published")
    if not project.recipient.public_fundraising:
        raise DomainError(NOT_PUBLIC_FUNDRAISING, code="no_public_fundraising")
    amount = check_fen(amount_fen)
    provider = payment_provider()
    donation = Donation.objects.create(
        project=project, donor=actor, anonymous=bool(anonymous), amount_fen=amount, provider=provider.name
    )
    return donation, provider.start(donation)


@transaction.atomic
def donation_confirm(
    *, actor: Any, donation: Donation, receipt_number: str = "", provider_reference: str = ""
) -> Donation:
    """确认到账: the money enters the ledger as received from the public; the receipt number is recorded."""
    donation_policy.require(actor, FINANCE, donation)
    locked = Donation.objects.select_for_update().get(pk=donation.pk)
    if locked.status == Donation.Status.CONFIRMED:
        raise DomainError(ALREADY_CONFIRMED, code="already_confirmed")
    locked.status = Donation.Status.CONFIRMED
    locked.confirmed_at = timezone.now()
    locked.receipt_number = (receipt_number or "").strip()[:40]
    locked.provider_reference = (provider_reference or "").strip()[:80]
    locked.save(update_fields=["status", "confirmed_at", "receipt_number", "provider_reference"])
    _append(
        project=locked.project,
        source_id=public_source_id(locked.project),
        kind=LedgerEntry.Kind.RECEIVED,
        amount_fen=locked.amount_fen,
        donation=locked,
        recorded_by=actor,
    )
    return locked


@transaction.atomic
def donation_set_receipt(*, actor: Any, donation: Donation, receipt_number: str) -> Donation:
    """登记捐赠票据号: issued by the receiving organisation."""
    donation_policy.require(actor, FINANCE, donation)
    number = (receipt_number or "").strip()
    if not number:
        raise ValidationFailed({"receipt_number": _("Enter the receipt number.")})
    donation.receipt_number = number[:40]
    donation.save(update_fields=["receipt_number"])
    return donation


# --- roadshows ----------------------------------------------------------------------------------


@transaction.atomic
def roadshow_create(
    *,
    actor: Any,
    title: str,
    region: Region,
    starts_at: datetime,
    venue: str = "",
    projects: Sequence[Project] = (),
) -> Roadshow:
    """筹备公益路演."""
    if not actor.has_perm_anywhere(CHANGE):
        raise PermissionDenied()
    _require_region(actor, CHANGE, region)
    if not (title or "").strip():
        raise ValidationFailed({"title": NAME_REQUIRED})
    roadshow = Roadshow.objects.create(title=title.strip(), region=region, starts_at=starts_at, venue=venue)
    for project in projects:
        project_policy.require(actor, VIEW, project)
    roadshow.projects.set(projects)
    return roadshow
