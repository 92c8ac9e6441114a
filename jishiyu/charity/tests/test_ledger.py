"""The ledger (台账): append-only, whole fen, balances that always add up."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jishiyu.charity import services
from jishiyu.charity.balances import KINDS, Balance, balance_of, balances_by
from jishiyu.charity.models import LedgerEntry
from jishiyu.core.errors import DomainError, NotFound, ValidationFailed


def record(actor: Any, world: Any, kind: str, amount: Any, source: Any = None, project: Any = None) -> LedgerEntry:
    return services.ledger_record(
        actor=actor,
        project=project or world.project,
        source=source or world.district_source,
        kind=kind,
        amount_fen=amount,
    )


def test_a_received_entry_raises_what_the_project_holds(world: Any, personas: dict[str, Any]) -> None:
    record(personas["street_official"], world, "received", 100_000)
    assert balance_of(LedgerEntry.objects.filter(project=world.project)).held == 100_000


@pytest.mark.parametrize("amount", [-1, 0, 12.5, Decimal("0.3"), "abc", True])
def test_negative_zero_or_fractional_fen_amounts_are_refused_and_nothing_is_written(
    world: Any, personas: dict[str, Any], amount: Any
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        record(personas["street_official"], world, "received", amount)
    assert "amount_fen" in exc.value.errors
    assert not LedgerEntry.objects.exists()


def test_a_yuan_amount_with_a_fraction_of_a_fen_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.fen_from_yuan("12.345")
    assert exc.value.errors["amount"] == [services.AMOUNT_NOT_INTEGER]
    assert services.fen_from_yuan("12.34") == 1234


def test_allocating_more_than_the_project_holds_is_refused_and_the_ledger_is_unchanged(
    world: Any, personas: dict[str, Any]
) -> None:
    official = personas["street_official"]
    record(official, world, "received", 1000)
    with pytest.raises(DomainError) as exc:
        record(official, world, "allocated", 1001)
    assert exc.value.message == services.ALLOCATION_EXCEEDS
    assert LedgerEntry.objects.count() == 1


def test_money_from_one_source_cannot_be_allocated_as_another_sources(world: Any, personas: dict[str, Any]) -> None:
    official = personas["street_official"]
    record(official, world, "received", 1000, source=world.foundation_source)
    with pytest.raises(DomainError):
        record(official, world, "allocated", 500, source=world.district_source)


def test_spending_more_than_was_allocated_is_refused(world: Any, personas: dict[str, Any]) -> None:
    official = personas["street_official"]
    record(official, world, "received", 1000)
    record(official, world, "allocated", 600)
    with pytest.raises(DomainError) as exc:
        record(official, world, "spent", 601)
    assert exc.value.message == services.SPENDING_EXCEEDS


def test_an_entry_cannot_be_edited_or_deleted(world: Any, personas: dict[str, Any]) -> None:
    entry = record(personas["street_official"], world, "received", 1000)
    entry.amount_fen = 2000
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_fen=1)
    with pytest.raises(TypeError):
        LedgerEntry.objects.all().delete()
    assert LedgerEntry.objects.get().amount_fen == 1000


def test_a_correction_is_a_new_entry_that_reverses_the_original(world: Any, personas: dict[str, Any]) -> None:
    official = personas["street_official"]
    entry = record(official, world, "received", 1000)
    correction = services.ledger_correct(actor=official, entry=entry)
    assert correction.amount_fen == -1000 and correction.reverses == entry
    assert LedgerEntry.objects.get(pk=entry.pk).amount_fen == 1000
    assert balance_of(LedgerEntry.objects.all()).received == 0


def test_an_entry_is_corrected_only_once(world: Any, personas: dict[str, Any]) -> None:
    official = personas["street_official"]
    entry = record(official, world, "received", 1000)
    services.ledger_correct(actor=official, entry=entry)
    with pytest.raises(DomainError):
        services.ledger_correct(actor=official, entry=entry)


def test_correcting_a_receipt_already_allocated_is_refused(world: Any, personas: dict[str, Any]) -> None:
    official = personas["street_official"]
    entry = record(official, world, "received", 1000)
    record(official, world, "allocated", 800)
    with pytest.raises(DomainError):
        services.ledger_correct(actor=official, entry=entry)


def test_a_community_worker_cannot_record_ledger_entries(world: Any, personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError):
        record(personas["community_worker"], world, "received", 1000)
    assert not LedgerEntry.objects.exists()


def test_an_official_of_another_street_cannot_touch_the_projects_ledger(world: Any, personas: dict[str, Any]) -> None:
    with pytest.raises(NotFound):
        record(personas["street_official"], world, "received", 1000, project=world.other_project)


# --- the property ---------------------------------------------------------------------------------

operation = st.tuples(
    st.sampled_from([*KINDS, "correct"]),
    st.integers(min_value=0, max_value=1),  # project
    st.integers(min_value=0, max_value=1),  # source
    st.one_of(st.integers(min_value=-50, max_value=3000), st.sampled_from([0.5, 10.25])),
    st.integers(min_value=0, max_value=30),  # which entry a correction reverses
)


def _expected_ok(model: dict[Any, Balance], key: Any, kind: str, amount: int) -> bool:
    after = Balance(**{k: getattr(model[key], k) for k in KINDS})
    after.add(kind, amount)
    return after.held >= 0 and after.unspent >= 0


def _check_consistent(model: dict[Any, Balance]) -> None:
    entries = LedgerEntry.objects.all()
    total = balance_of(entries)
    for field in ("project", "source", "recipient"):
        summed = Balance()
        for balance in balances_by(entries, field).values():
            assert balance.held >= 0 and balance.unspent >= 0
            summed += balance
        assert summed == total
    for (project_id, source_id), balance in balances_by_pair().items():
        assert balance == model[(project_id, source_id)]
        assert balance.held >= 0, "allocation exceeded what the project holds"
        assert balance.unspent >= 0


def balances_by_pair() -> dict[Any, Balance]:
    result: dict[Any, Balance] = {}
    for entry in LedgerEntry.objects.all():
        result.setdefault((entry.project_id, entry.source_id), Balance()).add(entry.kind, entry.amount_fen)
    return result


@pytest.mark.django_db
@settings(
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, max_size=25))
def test_any_sequence_of_ledger_operations_leaves_every_balance_consistent(
    world: Any, personas: dict[str, Any], ops: list[tuple[str, int, int, Any, int]]
) -> None:
    official = personas["street_official"]
    projects = [world.project, world.other_project]
    # 凤台/新林: the district admin holds the finance permission over both projects.
    admin = personas["district_admin"]
    sources = [world.district_source, world.foundation_source]
    with transaction.atomic():
        model: dict[Any, Balance] = defaultdict(Balance)
        for kind, p, s, amount, which in ops:
            actor = official if p == 0 else admin
            before = LedgerEntry.objects.count()
            if kind == "correct":
                entries = list(LedgerEntry.objects.order_by("id"))
                if not entries:
                    continue
                entry = entries[which % len(entries)]
                key = (entry.project_id, entry.source_id)
                ok = (
                    entry.reverses_id is None
                    and not LedgerEntry.objects.filter(reverses=entry).exists()
                    and _expected_ok(model, key, entry.kind, -entry.amount_fen)
                )
                try:
                    services.ledger_correct(actor=actor if entry.project == world.project else admin, entry=entry)
                except DomainError:
                    assert not ok
                    assert LedgerEntry.objects.count() == before
                else:
                    assert ok
                    model[key].add(entry.kind, -entry.amount_fen)
            else:
                key = (projects[p].pk, sources[s].pk)
                valid_amount = isinstance(amount, int) and amount > 0
                ok = valid_amount and _expected_ok(model, key, kind, amount)
                try:
                    record(actor, world, kind, amount, source=sources[s], project=projects[p])
                except DomainError:
                    assert not ok
                    assert LedgerEntry.objects.count() == before
                else:
                    assert ok
                    model[key].add(kind, amount)
            _check_consistent(model)
        transaction.set_rollback(True)
