"""A reply reaches the resident — page, API, notification — only once its review passes (审核答复), or at once
where the district turned review off; the resident rates only a reply they can read."""

from __future__ import annotations

from typing import Any

import pytest

from jishiyu.core.errors import DomainError
from jishiyu.notifications.models import Notification
from jishiyu.tickets import services
from jishiyu.tickets.models import Status, Ticket

pytestmark = pytest.mark.django_db

REPLY = "已更换3栋楼道灯泡"


@pytest.fixture
def replied(ticket: Ticket, personas: Any, tree: Any) -> Ticket:
    """The resident's request, replied to by the community worker, the reply waiting for review."""
    worker = personas["community_worker"]
    t = services.ticket_dispatch(actor=personas["street_dispatcher"], ticket=ticket, handler_region=tree.community)
    t = services.ticket_sign_for(actor=worker, ticket=t)
    t = services.ticket_reply(actor=worker, ticket=t, reply=REPLY)
    services.ticket_note(actor=worker, ticket=t, note="内部备注：找物业王经理")
    return t


def _reply_notes(user: Any) -> list[Notification]:
    return [n for n in Notification.objects.filter(user=user) if REPLY in n.body or "答复" in n.title]


def test_a_reply_waiting_for_review_is_hidden_from_the_residents_page(
    client: Any, personas: Any, replied: Ticket
) -> None:
    client.force_login(personas["resident"])
    page = client.get(f"/tickets/mine/{replied.pk}/").content.decode()
    assert replied.status == Status.REPLIED
    assert REPLY not in page
    assert "待审核" not in page and "办理中" in page
    assert "tk-rate" not in page  # no rating form


def test_a_reply_waiting_for_review_cannot_be_rated(personas: Any, replied: Ticket) -> None:
    with pytest.raises(DomainError) as caught:
        services.ticket_rate(actor=personas["resident"], ticket=replied, solved="yes", satisfied="yes")
    assert caught.value.code == "not_ratable"
    response_page = replied.follow_ups.count()
    assert response_page == 0


def test_the_resident_is_not_notified_of_a_reply_before_it_is_reviewed(personas: Any, replied: Ticket) -> None:
    assert _reply_notes(personas["resident"]) == []


def test_the_api_keeps_the_reply_and_the_inner_steps_from_the_resident(
    client: Any, personas: Any, replied: Ticket, api_token: Any
) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(personas['resident'])}"}
    detail = client.get(f"/api/v1/tickets/{replied.pk}", **auth).json()
    assert detail["reply"] == "" and detail["replied_at"] is None
    assert detail["status_label"] == "办理中"
    events = client.get(f"/api/v1/tickets/{replied.pk}/events", **auth).json()
    actions = [e["action"] for e in events]
    assert "reply" not in actions and "note" not in actions
    assert all(e["note"] == "" for e in events)
    # staff in scope still read everything
    staff = {"HTTP_AUTHORIZATION": f"Bearer {api_token(personas['street_dispatcher'])}"}
    assert client.get(f"/api/v1/tickets/{replied.pk}", **staff).json()["reply"] == REPLY


def test_once_approved_the_resident_reads_the_reply_is_notified_and_rates_it(
    client: Any, personas: Any, replied: Ticket
) -> None:
    services.ticket_review_reply(actor=personas["street_dispatcher"], ticket=replied, approve=True)
    notes = _reply_notes(personas["resident"])
    assert len(notes) == 1 and REPLY in notes[0].body
    client.force_login(personas["resident"])
    page = client.get(f"/tickets/mine/{replied.pk}/").content.decode()
    assert REPLY in page and "tk-rate" in page
    response = client.post(f"/tickets/mine/{replied.pk}/", {"solved": "yes", "satisfied": "yes"})
    assert response.status_code == 302
    replied.refresh_from_db()
    assert replied.status == Status.CLOSED


def test_a_reply_sent_back_by_the_reviewer_never_reaches_the_resident(
    client: Any, personas: Any, replied: Ticket
) -> None:
    services.ticket_review_reply(actor=personas["street_dispatcher"], ticket=replied, approve=False, note="答复不完整")
    client.force_login(personas["resident"])
    page = client.get(f"/tickets/mine/{replied.pk}/").content.decode()
    assert REPLY not in page and "答复不完整" not in page
    assert _reply_notes(personas["resident"]) == []


def test_with_review_turned_off_the_reply_reaches_the_resident_at_once(
    client: Any, personas: Any, ticket: Ticket, tree: Any, settings: Any
) -> None:
    settings.TICKETS_REPLY_REVIEW = False
    worker = personas["community_worker"]
    t = services.ticket_dispatch(actor=personas["street_dispatcher"], ticket=ticket, handler_region=tree.community)
    t = services.ticket_sign_for(actor=worker, ticket=t)
    t = services.ticket_reply(actor=worker, ticket=t, reply=REPLY)
    assert t.status == Status.REVIEWED and t.reviewed_at is not None
    approval = t.events.get(action="approve_reply")
    assert approval.actor is None and approval.detail == {"review": "off"}
    assert len(_reply_notes(personas["resident"])) == 1
    client.force_login(personas["resident"])
    page = client.get(f"/tickets/mine/{t.pk}/").content.decode()
    assert REPLY in page and "tk-rate" in page
