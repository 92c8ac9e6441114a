"""On intake (``ticket_created``): the routing suggestion and the duplicate check, stored on the ticket.

The rules' handler and the learned suggestion (with its confidence and model version) go to
``Ticket.suggested_handler`` for the dispatcher to see; the best open duplicate to
``suspected_duplicate_of``. Neither dispatches nor merges: the dispatcher decides."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from jishiyu.tickets import duplicates, routing, suggest
from jishiyu.tickets.models import Ticket
from jishiyu.tickets.signals import ticket_created

log = logging.getLogger(__name__)


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


@receiver(ticket_created, dispatch_uid="tickets.routing.on_created")
def on_ticket_created(sender: Any, ticket: Ticket, **kwargs: Any) -> None:
    payload = suggestion_payload(ticket)
    duplicate = duplicates.duplicate_flag(ticket)
    if payload["rule"] or payload["learned"]:
        ticket.suggested_handler = payload
        Ticket.objects.filter(pk=ticket.pk).update(suggested_handler=payload)
    if duplicate is not None:
        log.info("ticket %s looks like a duplicate of %s", ticket.pk, duplicate.pk)
