"""Resident self-service under the personal information protection law (个人信息保护法): what is held
about me, my consents to optional uses, and my requests to correct or delete, which staff handle.

Selectors and services in one module: the resident side reads only the actor's own Person; the staff
side reads data requests through the people scope policy (permission "people.handle_request")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jishiyu.audit.models import AuditEntry
from jishiyu.audit.services import audit_record
from jishiyu.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from jishiyu.core.masking import scrub
from jishiyu.notifications.services import notification_send
from jishiyu.people.models import Consent, DataRequest, Person
from jishiyu.people.permissions import person_policy
from jishiyu.people.services import person_update

HANDLE_PERMISSION = "people.handle_request"
NO_PERSON = _("No resident record is linked to your account yet. Ask your community to verify you.")
UNKNOWN_PURPOSE = _("Unknown purpose.")
UNKNOWN_KIND = _("Choose correction or deletion.")
DETAIL_REQUIRED = _("Describe what should be corrected or deleted.")
DETAIL_TOO_LONG = _("At most 2000 characters.")
STATUS_INVALID = _("Choose done or refused.")
RESOLUTION_REQUIRED = _("Tell the resident what was done, or why the request is refused.")
ALREADY_HANDLED = _("This request has already been handled.")
HANDLED_TITLE = _("Your personal data request has been handled")
HANDLED_BODY = _("%(kind)s · %(status)s: %(resolution)s")
MAX_DETAIL = 2000


# --- selectors --------------------------------------------------------------------------------


def my_person(*, actor: Any) -> Person | None:
    """我的居民档案: the Person linked to the account, or None."""
    if actor is None or not actor.is_authenticated:
        return None
    return (
        Person.objects.select_related("region", "household", "verified_by")
        .prefetch_related(
            "residences__dwelling__building",
            "residences__dwelling__entrance",
            "ownerships__dwelling__building",
            "ownerships__dwelling__entrance",
            "tags",
            "consents",
        )
        .filter(user_id=actor.pk)
        .first()
    )


@dataclass
class ConsentState:
    purpose: str
    label: str
    granted: bool
    updated_at: Any = None


@dataclass
class MyData:
    """Everything held about one resident, masked as it is shown to staff."""

    person: Person | None
    consents: list[ConsentState] = field(default_factory=list)
    reveals: list[AuditEntry] = field(default_factory=list)


def my_data(*, actor: Any) -> MyData:
    """我的信息: the person, every consent purpose with its state, and who revealed my numbers."""
    person = my_person(actor=actor)
    if person is None:
        return MyData(person=None)
    held = {c.purpose: c for c in person.consents.all()}
    consents = [
        ConsentState(
            purpose=str(value),
            label=str(label),
            granted=bool(held[value].granted) if value in held else False,
            updated_at=held[value].updated_at if value in held else None,
        )
        for value, label in Consent.Purpose.choices
    ]
    return MyData(person=person, consents=consents, reveals=list(my_reveals(person=person)))


def my_reveals(*, person: Person) -> QuerySet[AuditEntry]:
    """Who revealed this person's document or phone, when and why (read-only on the audit log)."""
    return AuditEntry.objects.filter(
        object_type=Person._meta.label_lower, object_id=str(person.pk), action=AuditEntry.Action.REVEAL
    ).order_by("-at", "-id")


def data_request_list_own(*, actor: Any) -> QuerySet[DataRequest]:
    """我的申请."""
    if actor is None or not actor.is_authenticated:
        return DataRequest.objects.none()
    return DataRequest.objects.filter(person__user_id=actor.pk).select_related("person")


def data_request_list_staff(*, actor: Any, status: str | None = DataRequest.Status.OPEN) -> QuerySet[DataRequest]:
    """待处理的个人信息申请 within the actor's scope."""
    people = person_policy.queryset(actor, HANDLE_PERMISSION)
    qs = DataRequest.objects.filter(person__in=people.values("pk")).select_related("person__region", "handled_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "id")


def data_request_get_staff(*, actor: Any, request_id: Any) -> DataRequest:
    """One data request, or NotFound when missing or outside scope."""
    try:
        return data_request_list_staff(actor=actor, status=None).get(pk=int(request_id))
    except (DataRequest.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- services ---------------------------------------------------------------------------------


def _require_person(actor: Any) -> Person:
    person = my_person(actor=actor)
    if person is None:
        raise NotFound(NO_PERSON)
    return person


@transaction.atomic
def consent_set(*, actor: Any, purpose: str, granted: bool) -> Consent:
    """同意/撤回: a resident grants or withdraws consent to one optional use of their data."""
    if purpose not in Consent.Purpose.values:
        raise DomainError(UNKNOWN_PURPOSE, field="purpose", code="unknown_purpose")
    person = _require_person(actor)
    consent, created = Consent.objects.get_or_create(
        person=person, purpose=purpose, defaults={"granted": bool(granted), "updated_at": timezone.now()}
    )
    if not created and consent.granted != bool(granted):
        consent.granted, consent.updated_at = bool(granted), timezone.now()
        consent.save(update_fields=["granted", "updated_at"])
    # The audit registry records the consent's create or change (who, when, before/after).
    return consent


@transaction.atomic
def data_request_create(*, actor: Any, kind: str, detail: str) -> DataRequest:
    """申请更正或删除. Id and phone numbers in the text are masked: staff check them in person."""
    errors: dict[str, Any] = {}
    if kind not in DataRequest.Kind.values:
        errors["kind"] = UNKNOWN_KIND
    detail = (detail or "").strip()
    if not detail:
        errors["detail"] = DETAIL_REQUIRED
    elif len(detail) > MAX_DETAIL:
        errors["detail"] = DETAIL_TOO_LONG
    person = _require_person(actor)
    if errors:
        raise ValidationFailed(errors)
    # Audited by the registry (people.DataRequest); the detail is scrubbed of numbers first.
    return DataRequest.objects.create(person=person, kind=kind, detail=scrub(detail))


def _erase_optional_data(*, actor: Any, person: Person) -> list[str]:
    """What a deletion removes, "as far as the law allows" (PIPL art. 47 with art. 13):

    - removed: data held only on the resident's consent — every consent record (so every optional use
      stops) and the mobile number, which is voluntary contact data;
    - kept: name, document, region, household, residences and ownerships (the resident register and
      owners' votes rest on statutory duties), tags of people in difficulty (assistance under civil
      affairs rules), and the audit log (kept at least 180 days by law).
    """
    erased = []
    if person.consents.exists():
        person.consents.all().delete()
        erased.append("consents")
    if person.phone_hash:
        person_update(actor=actor, person=person, phone="")
        erased.append("phone")
    return erased


@transaction.atomic
def data_request_handle(*, actor: Any, request: DataRequest, status: str, resolution: str) -> DataRequest:
    """处理个人信息申请: done or refused, with a resolution the resident reads; a done deletion removes
    the person's optional data (see ``_erase_optional_data``). Audited; the resident is notified."""
    person_policy.require(actor, HANDLE_PERMISSION, request.person)
    # Lock only the request's own row (PostgreSQL refuses FOR UPDATE across a nullable join).
    request = (
        DataRequest.objects.select_for_update(of=("self",))
        .select_related("person__region", "person__user")
        .get(pk=request.pk)
    )
    if request.status != DataRequest.Status.OPEN:
        raise Conflict(ALREADY_HANDLED, field="status", code="already_handled")
    errors: dict[str, Any] = {}
    if status not in (DataRequest.Status.DONE, DataRequest.Status.REFUSED):
        errors["status"] = STATUS_INVALID
    resolution = scrub((resolution or "").strip())
    if len(resolution) < 2:
        errors["resolution"] = RESOLUTION_REQUIRED
    elif len(resolution) > MAX_DETAIL:
        errors["resolution"] = DETAIL_TOO_LONG
    if errors:
        raise ValidationFailed(errors)
    person = request.person
    erased: list[str] = []
    if status == DataRequest.Status.DONE and request.kind == DataRequest.Kind.DELETION:
        erased = _erase_optional_data(actor=actor, person=person)
    request.status, request.resolution = status, resolution
    request.handled_by, request.handled_at = actor, timezone.now()
    request.save(update_fields=["status", "resolution", "handled_by", "handled_at"])
    if erased:
        # The registry records each field change; this entry says why, as one act of erasure.
        audit_record(
            action="delete",
            obj=person,
            changes={"erased": erased, "data_request": request.pk},
            reason=resolution,
            actor=actor,
        )
    if person.user_id:
        notification_send(
            user=person.user,
            title=HANDLED_TITLE,
            body=HANDLED_BODY,
            params={
                "kind": type(request).Kind(request.kind).label,
                "status": type(request).Status(request.status).label,
                "resolution": resolution,
            },
            url=reverse("people_me:data-show"),
        )
    return request
