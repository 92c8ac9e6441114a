"""Automatic write auditing (写操作审计): every save and delete of a registered model writes an
audit entry with the before/after of the fields that changed, sensitive values masked.

Models are named by label string and resolved with ``apps.get_model`` in ``AuditConfig.ready()``,
so the audit app never imports the apps it watches (import-linter keeps audit below them).

What is never recorded in the clear:
- ``*_enc`` and ``*_hash`` fields: when the model also has ``<name>_masked`` the change is recorded
  under ``<name>`` with the masked before/after (Person.document, Person.phone); otherwise as "changed";
- ``password``: recorded as "changed";
- fields named in ``AuditedModel.mask`` (accounts.User.phone): through ``jishiyu.core.masking``;
- any other text is passed through ``scrub`` as a second guard.

Bulk operations (``QuerySet.update``, ``bulk_create``, ``bulk_update``, ``QuerySet.delete`` on models
without receivers) send no signals: importers write one summary entry with ``audit_record_bulk``.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from jishiyu.audit.services import audit_record
from jishiyu.core.masking import mask_phone, scrub

CHANGED = "changed"
SECRET_SUFFIXES = ("_enc", "_hash")
SECRET_NAMES = frozenset({"password"})
# Derived from the name on every save (a sort key): the name's own change says it already.
PINYIN = frozenset({"name_pinyin"})


@dataclass(frozen=True)
class AuditedModel:
    """How one model is audited: where its region path is found and which fields need masking."""

    label: str
    # Lookups tried in turn (one query) for the record's region path; the first that is a real
    # path ("/1/7/") wins. A new Region has a temporary path until its id is known: fall back to the parent.
    region_lookups: tuple[str, ...] = ("region__path",)
    mask: dict[str, Callable[[str], str]] = field(default_factory=dict)
    ignore: frozenset[str] = frozenset()


def _person(lookup: str = "person__region__path") -> tuple[str, ...]:
    return (lookup,)


AUDITED_MODELS: tuple[AuditedModel, ...] = (
    AuditedModel("people.Person", ignore=PINYIN),
    AuditedModel("people.Household"),
    AuditedModel("people.Residence", _person()),
    AuditedModel("people.Ownership", _person()),
    AuditedModel("people.PersonTag", _person()),
    AuditedModel("people.Consent", _person()),
    AuditedModel("people.DataRequest", _person()),
    # Path and depth follow from the parent (set by a queryset update once the id is known).
    AuditedModel("regions.Region", ("path", "parent__path"), ignore=frozenset({"path", "depth"}) | PINYIN),
    AuditedModel("regions.Building"),
    AuditedModel("regions.Dwelling"),
    # A user has no region of their own: entries about accounts have none and are seen by an
    # auditor at the root of the tree. Sign-ins update last_login: the sign-in entry says it already.
    AuditedModel("accounts.User", (), mask={"phone": mask_phone}, ignore=frozenset({"last_login"})),
    AuditedModel("accounts.RoleAssignment"),
    AuditedModel("organisations.Organisation", ignore=PINYIN),
    AuditedModel("organisations.Membership", ("organisation__region__path",)),
    # --- deliberation (小区里) ---
    AuditedModel("deliberation.Party", ("compound__path",)),
    AuditedModel("deliberation.PartyMember", ("party__compound__path",)),
    AuditedModel("deliberation.Notice", ("compound__path",)),
    AuditedModel("deliberation.Topic", ("compound__path",)),
    AuditedModel("deliberation.Comment", ("topic__compound__path",)),
    AuditedModel("deliberation.Meeting", ("compound__path",)),
    AuditedModel("deliberation.Attendance", ("meeting__compound__path",)),
    AuditedModel("deliberation.MeetingRule", ()),
    AuditedModel("deliberation.Vote", ("compound__path",)),
    AuditedModel("deliberation.Ballot", ("vote__compound__path",)),
    AuditedModel("deliberation.Action", ("compound__path",)),
    AuditedModel("deliberation.ActionUpdate", ("action__compound__path",)),
    # --- end deliberation ---
    # charity (公益行)
    AuditedModel("charity.FundingSource"),
    AuditedModel("charity.Project"),
    AuditedModel("charity.ProgressReport", ("project__region__path",)),
    AuditedModel("charity.LedgerEntry", ("project__region__path",)),
    AuditedModel("charity.Roadshow"),
    AuditedModel("charity.Need"),
    AuditedModel("charity.Claim", ("need__region__path",)),
    AuditedModel("charity.Donation", ("project__region__path",)),
    # tickets (社区通): configuration; tickets keep their own append-only history (TicketEvent).
    AuditedModel("tickets.Category", ()),
    AuditedModel("tickets.TimeLimitPolicy", ()),
    AuditedModel("tickets.Holiday", ()),
    AuditedModel("tickets.Source", ("region__path",)),
    # --- circles (幸福圈): the catalogue has no region (seen at the root); facilities by their community ---
    AuditedModel("circles.Circle", ()),
    AuditedModel("circles.Category", ()),
    AuditedModel("circles.Facility", ("region__path",)),
    # --- end circles ---
)

_by_model: dict[type[models.Model], AuditedModel] = {}
_suspended: ContextVar[bool] = ContextVar("audit_suspended", default=False)

BEFORE_ATTR = "_audit_before"
DELETE_ATTR = "_audit_deleting"


def audited_labels() -> list[str]:
    """Record types (lower-case labels) written by automatic auditing, for the search form."""
    return sorted(spec.label.lower() for spec in AUDITED_MODELS)


@contextmanager
def suspended() -> Iterator[None]:
    """Switch automatic auditing off for a bulk job (demo data, an import) that writes its own
    summary entry with ``audit_record_bulk``."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def plain(value: Any) -> Any:
    """A numpy scalar or array as the plain Python value (numpy.float64 → float, int64 → int, array → list)."""
    if type(value).__module__ == "numpy":
        if hasattr(value, "tolist"):
            return value.tolist()
        if hasattr(value, "item"):
            return value.item()
    return value


def _json_value(value: Any) -> Any:
    value = plain(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return scrub(str(value))


def _fields(model: type[models.Model], spec: AuditedModel) -> list[models.Field[Any, Any]]:
    result = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in spec.ignore or getattr(f, "auto_now", False):
            continue
        result.append(f)
    return result


def _is_secret(name: str) -> bool:
    return name in SECRET_NAMES or name.endswith(SECRET_SUFFIXES)


def snapshot(instance: models.Model, spec: AuditedModel, only: set[str] | None = None) -> dict[str, Any]:
    """The raw values of the audited fields (by attname: foreign keys as ids)."""
    return {
        f.name: getattr(instance, f.attname)
        for f in _fields(type(instance), spec)
        if only is None or f.name in only or f.attname in only
    }


def _base_name(name: str) -> str:
    for suffix in SECRET_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def diff(spec: AuditedModel, before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``{field: {"before": b, "after": a}}`` for changed fields, sensitive ones masked.

    ``before`` is empty for a create and ``after`` is empty for a delete: then every non-empty value
    is recorded on the side that has it."""
    names = list(dict.fromkeys([*before, *after]))
    changes: dict[str, Any] = {}
    secret_changed: set[str] = set()
    for name in names:
        old, new = plain(before.get(name)), plain(after.get(name))
        if before and after and old == new:
            continue
        if not before and new in (None, "", [], {}):
            continue
        if not after and old in (None, "", [], {}):
            continue
        if _is_secret(name):
            if name in SECRET_NAMES:
                changes[name] = CHANGED
                continue
            base = _base_name(name)
            hash_name = f"{base}_hash"
            # Re-encrypting the same value gives a new ciphertext: trust the keyed hash when there is one.
            same_hash = hash_name in names and before.get(hash_name) == after.get(hash_name)
            if name.endswith("_enc") and before and after and same_hash:
                continue
            secret_changed.add(base)
            continue
        if name in spec.mask:
            changes[name] = {"before": spec.mask[name](old or ""), "after": spec.mask[name](new or "")}
            continue
        changes[name] = {"before": _json_value(old), "after": _json_value(new)}
    for base in secret_changed:
        masked = f"{base}_masked"
        if masked in names:
            changes.pop(masked, None)
            changes[base] = {"before": _json_value(before.get(masked)), "after": _json_value(after.get(masked))}
        else:
            changes[base] = CHANGED
    return changes


def _cached_value(instance: models.Model, lookup: str) -> Any:
    """Follow ``lookup`` ("need__region__path") through relations already loaded on the instance;
    None as soon as one is not (then the database is asked)."""
    *relations, attname = lookup.split("__")
    obj: Any = instance
    for name in relations:
        try:
            relation = obj._meta.get_field(name)
        except Exception:  # not a field: let the query answer
            return None
        if not getattr(relation, "is_relation", False) or not relation.is_cached(obj):
            return None
        obj = relation.get_cached_value(obj)
        if obj is None:
            return None
    return obj.__dict__.get(attname)


def _region_path(instance: models.Model, spec: AuditedModel) -> str:
    if not spec.region_lookups or instance.pk is None:
        return ""
    for lookup in spec.region_lookups:
        value = _cached_value(instance, lookup)
        if isinstance(value, str) and value.startswith("/"):
            return value  # a claim made from a need read with its region costs no query here
    row = type(instance)._default_manager.filter(pk=instance.pk).values(*spec.region_lookups).first()
    for lookup in spec.region_lookups:
        value = (row or {}).get(lookup)
        if isinstance(value, str) and value.startswith("/"):
            return value
    return ""


def _label(instance: models.Model) -> str:
    try:
        return str(instance)
    except Exception:  # a broken __str__ (a missing related row) must not stop the write
        return f"#{instance.pk}"


def _skip(kwargs: dict[str, Any]) -> bool:
    return bool(kwargs.get("raw")) or _suspended.get()


def _on_pre_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _skip(kwargs) or instance._state.adding or instance.pk is None:
        instance.__dict__[BEFORE_ATTR] = None
        return
    spec = _by_model[sender]
    update_fields = kwargs.get("update_fields")
    names = [f.attname for f in _fields(sender, spec) if update_fields is None or f.name in update_fields]
    if not names:
        # Only ignored fields are saved (a sign-in's last_login): nothing to record.
        instance.__dict__[BEFORE_ATTR] = {}
        return
    row = sender._default_manager.filter(pk=instance.pk).values(*names).first()
    if row is None:
        instance.__dict__[BEFORE_ATTR] = None
        return
    by_attname = {f.attname: f.name for f in _fields(sender, spec)}
    instance.__dict__[BEFORE_ATTR] = {by_attname[k]: v for k, v in row.items()}


def _on_post_save(sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any) -> None:
    if _skip(kwargs):
        return
    spec = _by_model[sender]
    before = instance.__dict__.pop(BEFORE_ATTR, None)
    if created or before is None:
        changes = diff(spec, {}, snapshot(instance, spec))
        action = "create"
    else:
        changes = diff(spec, before, snapshot(instance, spec, set(before)))
        if not changes:
            return  # saved without a change: nothing to say
        action = "update"
    audit_record(
        action=action,
        object_type=sender._meta.label_lower,
        object_id=str(instance.pk),
        object_label=_label(instance),
        region_path=_region_path(instance, spec),
        changes=changes,
    )


def _on_pre_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _skip(kwargs):
        return
    spec = _by_model[sender]
    # Read the region and the label now: by post_delete a cascade may have removed the parents.
    instance.__dict__[DELETE_ATTR] = (_region_path(instance, spec), _label(instance), instance.pk)


def _on_post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _skip(kwargs):
        return
    spec = _by_model[sender]
    region_path, label, pk = instance.__dict__.pop(DELETE_ATTR, ("", _label(instance), instance.pk))
    audit_record(
        action="delete",
        object_type=sender._meta.label_lower,
        object_id=str(pk),
        object_label=label,
        region_path=region_path,
        changes=diff(spec, snapshot(instance, spec), {}),
    )


def connect() -> None:
    """Connect the signal receivers for every registered model that is installed."""
    for spec in AUDITED_MODELS:
        try:
            model = apps.get_model(spec.label)
        except LookupError:
            continue
        _by_model[model] = spec
        uid = f"audit:{spec.label}"
        pre_save.connect(_on_pre_save, sender=model, dispatch_uid=uid)
        post_save.connect(_on_post_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(_on_pre_delete, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_post_delete, sender=model, dispatch_uid=uid)
