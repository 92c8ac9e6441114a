"""After intake, in the background (受理后分析): the routing suggestion and the duplicate check.

The intake request only validates, stores the ticket with its first event (and its external id) and
answers. After the commit it queues ``tickets_analyse_task`` (huey) with the new tickets' ids: one task
per request, one per chunk of a batch import. The task, for each ticket not analysed yet:

- segments its content once with jieba and keeps the words (``Ticket.words``), so that a later
  duplicate check compares stored words and never segments an old ticket again;
- stores the rules' handler and the learned suggestion, with its confidence and model version, in
  ``Ticket.suggested_handler`` for the dispatcher to see;
- flags the best open duplicate in ``suspected_duplicate_of``;
- stamps ``analysed_at``.

Neither dispatches nor merges: the dispatcher decides. ``tickets_analyse_missed`` (a periodic task)
analyses tickets still waiting for dispatch whose task was lost (a queue that was down, a worker killed).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from jishiyu.tickets import duplicates, routing, suggest
from jishiyu.tickets.models import Status, Ticket

log = logging.getLogger(__name__)

# A ticket not analysed this long after its last change is taken by the sweep.
MISSED_AFTER = dt.timedelta(minutes=2)
SWEEP_BATCH = 500


def suggestion_payload(ticket: Ticket) -> dict[str, Any]:
    """派单建议: what the rules say and what the learned model says, for this ticket."""
    payload: dict[str, Any] = {"rule": None, "learned": None}
    if ticket.place_resolved and ticket.region is not None:
        handler = routing.handler_for(category=ticket.category, place=ticket.region)
        if handler is not None:
            payload["rule"] = {
                "handler": handler.key,
                "name": handler.name,
                "level": handler.level,
                "rule_id": handler.rule_id,
            }
    learned = suggest.suggest_for_ticket(ticket)
    if learned is not None:
        payload["learned"] = learned.as_json()
    return payload


def ticket_analyse(ticket: Ticket) -> Ticket:
    """分析新工单: words, suggestion and duplicate flag, stored in one UPDATE (``updated_at`` untouched)."""
    duplicates.ticket_words(ticket, store=False)
    fields: dict[str, Any] = {"words": ticket.words, "analysed_at": timezone.now()}
    payload = suggestion_payload(ticket)
    if payload["rule"] or payload["learned"]:
        fields["suggested_handler"] = payload
    best = duplicates.best_candidate(ticket)
    if best is not None:
        fields["suspected_duplicate_of"] = best
        log.debug("ticket %s looks like a duplicate of %s", ticket.pk, best.pk)
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    for name, value in fields.items():
        setattr(ticket, name, value)
    return ticket


def tickets_analyse(ticket_ids: Iterable[int]) -> int:
    """Analyse the tickets not analysed yet among these (ids of rolled-back rows are skipped); returns how many."""
    pending = Ticket.objects.filter(pk__in=list(ticket_ids), analysed_at__isnull=True)
    done = 0
    for ticket in pending.select_related("category", "region").order_by("pk"):
        ticket_analyse(ticket)
        done += 1
    return done


def tickets_analyse_missed(*, now: dt.datetime | None = None) -> int:
    """补分析: tickets waiting for dispatch that no task analysed (oldest first, a batch per run)."""
    cutoff = (now or timezone.now()) - MISSED_AFTER
    ids = list(
        Ticket.objects.filter(status=Status.ACCEPTED, analysed_at__isnull=True, updated_at__lte=cutoff)
        .order_by("updated_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return tickets_analyse(ids) if ids else 0


def analyse_after_commit(ticket_ids: Iterable[int]) -> None:
    """Queue the analysis of these new tickets once the transaction that stores them commits. A queue
    that cannot take the task is logged, never fails the intake: the sweep analyses them later."""
    ids = list(ticket_ids)
    if ids:
        transaction.on_commit(lambda: _enqueue(ids), robust=True)


def _enqueue(ids: list[int]) -> None:
    from jishiyu.tickets.tasks_intake import tickets_analyse_task  # the task module imports this one

    tickets_analyse_task(ids)
