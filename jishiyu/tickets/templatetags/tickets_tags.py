"""Template filters of the tickets app: labels of statuses and steps (状态与环节名称)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from jishiyu.tickets.models import Status
from jishiyu.tickets.transitions import TRANSITIONS

register = template.Library()

EXTRA_STEPS = {
    "accept": _("Request received"),
    "warn": _("Due-soon warning"),
    "escalate": _("Escalated as overdue"),
    "add_photos": _("Photos added"),
}
STATUS_LABELS = dict(Status.choices)
# A step as the resident reads it (the reply approved is the reply they receive).
RESIDENT_STEPS = {"approve_reply": _("Replied")}


@register.filter
def status_label(value: str) -> Any:
    return STATUS_LABELS.get(value, value)


@register.filter
def step_label(value: str) -> Any:
    if value in EXTRA_STEPS:
        return EXTRA_STEPS[value]
    transition = TRANSITIONS.get(value)
    return transition.label if transition else value


@register.filter
def resident_step_label(value: str) -> Any:
    return RESIDENT_STEPS.get(value) or step_label(value)


@register.filter
def resident_status_key(ticket: Any) -> str:
    from jishiyu.tickets.selectors import resident_status

    return resident_status(ticket)[0]


@register.filter
def resident_status_label(ticket: Any) -> str:
    from jishiyu.tickets.selectors import resident_status

    return resident_status(ticket)[1]
