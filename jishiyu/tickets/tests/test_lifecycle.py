"""The lifecycle through the services: dispatch, sign for, reply, rate; return, extension, screening, redo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from jishiyu.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from jishiyu.notifications.models import Notification
from jishiyu.tickets import services
from jishiyu.tickets.models import FollowUp, Status, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def dispatched(ticket: Ticket, personas: Any, tree: Any) -> Ticket:
    return services.ticket_dispatch(actor=personas["street_dispatcher"], ticket=ticket, handler_region=tree.community)


def test_a_new_request_waits_in_the_queue_of_its_place_with_a_deadline(ticket: Ticket, tree: Any) -> None:
    assert ticket.status == Status.ACCEPTED
    assert ticket.region_path == tree.grid.path
    assert ticket.due_at is not None


def test_the_reporter_hears_that_the_request_was_received(ticket: Ticket, personas: Any) -> None:
    assert Notification.objects.filter(user=personas["resident"], title__contains=f"#{ticket.pk}").exists()


def test_a_place_that_cannot_be_resolved_goes_to_a_street_queue(tree: Any, personas: Any) -> None:
    ticket, _ = services.ticket_create(
        actor=personas["outsider"], channel="portal", kind="help", content="有人乱倒垃圾", address="火星某处"
    )
    assert ticket.queue_region.kind == "street"
    assert not ticket.place_resolved


def test_the_whole_happy_path_ends_closed_with_each_step_in_the_history(
    ticket: Ticket, personas: Any, tree: Any
) -> None:
    worker = personas["community_worker"]
    t = dispatched(ticket, personas, tree)
    t = services.ticket_sign_for(actor=worker, ticket=t)
    t = services.ticket_reply(actor=worker, ticket=t, reply="已更换灯泡")
    t = services.ticket_review_reply(actor=personas["street_dispatcher"], ticket=t, approve=True)
    services.ticket_rate(actor=personas["resident"], ticket=t, solved="yes", satisfied="yes")
    t.refresh_from_db()
    assert t.status == Status.CLOSED
    actions = list(TicketEvent.objects.filter(ticket=t).values_list("action", flat=True))
    assert actions == ["accept", "dispatch", "sign_for", "reply", "approve_reply", "follow_up", "close"]


def test_an_unsatisfied_answer_keeps_the_ticket_open_for_a_redo(ticket: Ticket, personas: Any, tree: Any) -> None:
    worker = personas["community_worker"]
    t = services.ticket_sign_for(actor=worker, ticket=dispatched(ticket, personas, tree))
    t = services.ticket_reply(actor=worker, ticket=t, reply="已处理")
    t = services.ticket_review_reply(actor=personas["street_dispatcher"], ticket=t, approve=True)
    services.ticket_rate(actor=personas["resident"], ticket=t, solved="no", satisfied="no")
    t.refresh_from_db()
    assert t.status == Status.FOLLOWED_UP
    t = services.ticket_redo(actor=personas["street_dispatcher"], ticket=t, note="居民不满意")
    assert (t.status, t.redo_count) == (Status.HANDLING, 1)


def test_signing_for_a_ticket_of_another_community_is_not_found(ticket: Ticket, personas: Any, tree: Any) -> None:
    t = dispatched(ticket, personas, tree)
    with pytest.raises(NotFound):
        services.ticket_sign_for(actor=personas["other_community_worker"], ticket=t)


def test_a_social_worker_who_only_views_may_not_sign_for(ticket: Ticket, personas: Any, tree: Any) -> None:
    t = dispatched(ticket, personas, tree)
    with pytest.raises(PermissionDenied):
        services.ticket_sign_for(actor=personas["social_worker"], ticket=t)


def test_replying_before_sign_for_is_an_illegal_move(ticket: Ticket, personas: Any, tree: Any) -> None:
    t = dispatched(ticket, personas, tree)
    with pytest.raises(DomainError) as caught:
        services.ticket_reply(actor=personas["community_worker"], ticket=t, reply="好的")
    assert caught.value.code == "illegal_transition"


def test_an_empty_reply_names_the_field(ticket: Ticket, personas: Any, tree: Any) -> None:
    t = services.ticket_sign_for(actor=personas["community_worker"], ticket=dispatched(ticket, personas, tree))
    with pytest.raises(ValidationFailed) as caught:
        services.ticket_reply(actor=personas["community_worker"], ticket=t, reply="  ")
    assert "reply" in caught.value.errors


def test_a_return_approved_by_the_dispatcher_goes_back_to_dispatch(ticket: Ticket, personas: Any, tree: Any) -> None:
    t = dispatched(ticket, personas, tree)
    t = services.ticket_request_return(actor=personas["community_worker"], ticket=t, reason="不属于本社区")
    assert t.status == Status.RETURN_REQUESTED
    t = services.ticket_decide_return(actor=personas["street_dispatcher"], ticket=t, approve=True)
    assert (t.status, t.handler_region_id) == (Status.RETURNED, None)


def test_a_return_needs_a_reason(ticket: Ticket, personas: Any, tree: Any) -> None:
    t = dispatched(ticket, personas, tree)
    with pytest.raises(ValidationFailed):
        services.ticket_request_return(actor=personas["community_worker"], ticket=t, reason="")


def test_a_return_after_the_window_is_refused(ticket: Ticket, personas: Any, tree: Any) -> None:
    t = services.ticket_sign_for(actor=personas["community_worker"], ticket=dispatched(ticket, personas, tree))
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)), pytest.raises(DomainError) as caught:
        services.ticket_request_return(actor=personas["community_worker"], ticket=t, reason="不归我们")
    assert caught.value.code == "return_window_passed"


def test_a_refused_return_goes_back_to_where_it_was(ticket: Ticket, personas: Any, tree: Any) -> None:
    t = services.ticket_sign_for(actor=personas["community_worker"], ticket=dispatched(ticket, personas, tree))
    t = services.ticket_request_return(actor=personas["community_worker"], ticket=t, reason="不归我们")
    t = services.ticket_decide_return(actor=personas["street_dispatcher"], ticket=t, approve=False)
    assert t.status == Status.SIGNED_FOR


def test_an_approved_extension_moves_the_deadline_by_working_days(ticket: Ticket, personas: Any, tree: Any) -> None:
    t = services.ticket_sign_for(actor=personas["community_worker"], ticket=dispatched(ticket, personas, tree))
    before = t.due_at
    t = services.ticket_request_extension(actor=personas["community_worker"], ticket=t, days=3, reason="需要采购")
    t = services.ticket_decide_extension(actor=personas["street_dispatcher"], ticket=t, approve=True)
    assert t.status == Status.SIGNED_FOR
    assert t.due_at is not None and before is not None and t.due_at > before


def test_an_approved_screening_takes_the_ticket_out_as_screened(ticket: Ticket, personas: Any, tree: Any) -> None:
    t = services.ticket_sign_for(actor=personas["community_worker"], ticket=dispatched(ticket, personas, tree))
    t = services.ticket_request_screening(actor=personas["community_worker"], ticket=t, reason="诉求不合理")
    t = services.ticket_decide_screening(actor=personas["street_dispatcher"], ticket=t, approve=True)
    assert t.status == Status.SCREENED_OUT and t.closed_at is not None


def test_a_merged_duplicate_keeps_its_caller_informed(ticket: Ticket, personas: Any, tree: Any) -> None:
    other, _ = services.ticket_create(
        actor=personas["outsider"], channel="portal", kind="help", content="楼道灯不亮", region=tree.grid
    )
    services.ticket_merge(actor=personas["street_dispatcher"], ticket=other, into=ticket)
    dispatched(ticket, personas, tree)
    assert Notification.objects.filter(user=personas["outsider"], title__contains=f"#{other.pk}").count() >= 3


def test_only_the_reporter_may_rate(ticket: Ticket, personas: Any, tree: Any) -> None:
    t = services.ticket_sign_for(actor=personas["community_worker"], ticket=dispatched(ticket, personas, tree))
    t = services.ticket_reply(actor=personas["community_worker"], ticket=t, reply="已处理")
    with pytest.raises(NotFound):
        services.ticket_rate(actor=personas["outsider"], ticket=t, solved="yes", satisfied="yes")
    assert not FollowUp.objects.exists()


def test_an_overdue_ticket_escalates_to_the_level_above_once(ticket: Ticket, personas: Any, tree: Any) -> None:
    t = services.ticket_sign_for(actor=personas["community_worker"], ticket=dispatched(ticket, personas, tree))
    assert t.due_at is not None
    later = t.due_at + dt.timedelta(hours=1)
    assert services.tickets_check_deadlines(now=later)["escalated"] == 1
    assert services.tickets_check_deadlines(now=later)["escalated"] == 0
    t.refresh_from_db()
    assert t.supervised and t.escalation_level == 2  # handled by the community: up to the street
    assert Notification.objects.filter(user=personas["street_dispatcher"], title__contains=f"#{t.pk}").exists()


def test_a_ticket_due_soon_warns_its_handler(ticket: Ticket, personas: Any, tree: Any) -> None:
    t = services.ticket_sign_for(actor=personas["community_worker"], ticket=dispatched(ticket, personas, tree))
    assert t.due_at is not None
    counts = services.tickets_check_deadlines(now=t.due_at - dt.timedelta(hours=2))
    assert counts["warned"] == 1
    assert Notification.objects.filter(user=personas["community_worker"]).exists()
