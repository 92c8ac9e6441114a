"""Signals of the tickets app: other parts (12345 callbacks, duplicates) listen without the core importing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that changed the ticket, after its event is written:
# kwargs ticket, action, event (the TicketEvent), actor, source.
ticket_changed = Signal()
# Sent inside the intake transaction once a new ticket and its first event exist: kwargs ticket.
ticket_created = Signal()
