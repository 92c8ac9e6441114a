"""The ticket's transition table (工单流转表): which action may move a ticket from which status, to which,
under which permission, taken by whom, with which fields.

One place answers "is this move allowed" and "may this actor take it" (``permissions.may_take``);
``services.ticket_transition`` applies it, the ticket page draws each step's fields from it and the API
accepts the same fields. ``HELD`` means
"back to the status the ticket had before the request" (an extension, return or screening refused
or an extension granted); ``SAME`` leaves the status as it is (urging, supervision, a note)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from jishiyu.core.errors import DomainError
from jishiyu.tickets.models import OPEN_STATUSES, Status

HELD = "__held__"
SAME = "__same__"

S = Status
_WORKING = frozenset({S.SIGNED_FOR, S.HANDLING})


@dataclass(frozen=True)
class Transition:
    """One action: from which statuses, to which, under which permission, with which fields on the page
    and the API, and whether only the ticket's own handler (its grid, community, street or department
    worker) may take it."""

    action: str
    sources: frozenset[str]
    target: str
    permission: str
    label: object
    fields: tuple[str, ...] = ("note",)
    by_handler: bool = False


def _t(
    action: str,
    sources: set[str] | frozenset[str],
    target: str,
    permission: str,
    label: object,
    fields: tuple[str, ...] = ("note",),
) -> Transition:
    # The handler's own steps are the "tickets.handle" ones: holding the permission in the region is not
    # enough, the ticket must be dispatched to the actor (permissions.may_handle).
    by_handler = permission == "tickets.handle"
    return Transition(action, frozenset(sources), target, permission, label, fields, by_handler)


_HANDLER = ("handler", "note")
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("dispatch", {S.ACCEPTED, S.RETURNED}, S.DISPATCHED, "tickets.dispatch", _("Dispatch"), _HANDLER),
        _t(
            "redispatch",
            {S.DISPATCHED, S.SIGNED_FOR, S.HANDLING},
            S.DISPATCHED,
            "tickets.dispatch",
            _("Redispatch"),
            _HANDLER,
        ),
        _t("sign_for", {S.DISPATCHED}, S.SIGNED_FOR, "tickets.handle", _("Sign for"), ()),
        _t(
            "request_return",
            {S.DISPATCHED, S.SIGNED_FOR},
            S.RETURN_REQUESTED,
            "tickets.handle",
            _("Ask to return"),
            ("reason",),
        ),
        _t("approve_return", {S.RETURN_REQUESTED}, S.RETURNED, "tickets.dispatch", _("Approve the return")),
        _t("reject_return", {S.RETURN_REQUESTED}, HELD, "tickets.dispatch", _("Refuse the return")),
        _t("handle", _WORKING, S.HANDLING, "tickets.handle", _("Record progress")),
        _t("reply", _WORKING, S.REPLIED, "tickets.handle", _("Reply"), ("reply", "photos")),
        _t("approve_reply", {S.REPLIED}, S.REVIEWED, "tickets.review", _("Approve the reply")),
        _t("reject_reply", {S.REPLIED}, S.HANDLING, "tickets.review", _("Send the reply back")),
        # A follow-up asks about a reply the person has seen: an approved one (审核通过).
        _t(
            "follow_up",
            {S.REVIEWED},
            S.FOLLOWED_UP,
            "tickets.review",
            _("Record the follow-up"),
            ("solved", "satisfied", "note"),
        ),
        _t("close", {S.REVIEWED, S.FOLLOWED_UP}, S.CLOSED, "tickets.review", _("Close")),
        _t("redo", {S.FOLLOWED_UP, S.CLOSED}, S.HANDLING, "tickets.review", _("Redo")),
        _t(
            "request_extension",
            _WORKING,
            S.EXTENSION_REQUESTED,
            "tickets.handle",
            _("Ask for more time"),
            ("days", "reason"),
        ),
        _t("approve_extension", {S.EXTENSION_REQUESTED}, HELD, "tickets.review", _("Grant more time")),
        _t("reject_extension", {S.EXTENSION_REQUESTED}, HELD, "tickets.review", _("Refuse more time")),
        _t(
            "request_screening",
            _WORKING,
            S.SCREENING_REQUESTED,
            "tickets.handle",
            _("Ask for screening"),
            ("reason",),
        ),
        _t("approve_screening", {S.SCREENING_REQUESTED}, S.SCREENED_OUT, "tickets.review", _("Screen out")),
        _t("reject_screening", {S.SCREENING_REQUESTED}, HELD, "tickets.review", _("Refuse screening")),
        _t("urge", OPEN_STATUSES, SAME, "tickets.supervise", _("Urge")),
        _t("supervise", OPEN_STATUSES, SAME, "tickets.supervise", _("Supervise")),
        _t("recall", OPEN_STATUSES, S.RECALLED, "tickets.dispatch", _("Recall")),
        _t(
            "merge",
            OPEN_STATUSES - {S.REPLIED, S.REVIEWED},
            S.MERGED,
            "tickets.dispatch",
            _("Merge as duplicate"),
            ("into", "note"),
        ),
        _t("note", OPEN_STATUSES | {S.FOLLOWED_UP}, SAME, "tickets.view", _("Add a note")),
    )
}

ILLEGAL_MOVE = _("A ticket that is “%(status)s” cannot be moved by “%(action)s”.")
UNKNOWN_ACTION = _("Unknown action “%(action)s”.")


def transition_for(action: str) -> Transition:
    try:
        return TRANSITIONS[action]
    except KeyError:
        raise DomainError(UNKNOWN_ACTION % {"action": action}, field="action", code="unknown_action") from None


def target_status(action: str, current: str, held: str = "") -> str:
    """The status after ``action`` from ``current``; DomainError when the move is not in the table."""
    transition = transition_for(action)
    if current not in transition.sources:
        raise DomainError(
            ILLEGAL_MOVE % {"status": Status(current).label, "action": transition.label},
            field="status",
            code="illegal_transition",
        )
    if transition.target == SAME:
        return current
    if transition.target == HELD:
        return held or S.HANDLING
    return transition.target


def actions_from(status: str) -> list[Transition]:
    """Actions the table allows from ``status`` (before any permission check)."""
    return [t for t in TRANSITIONS.values() if status in t.sources]
