"""The staff ticket page: the stored routing suggestion (handler and confidence) for the dispatcher, and the
suspected duplicates with their merge buttons, each for those who may use them."""

from __future__ import annotations

from typing import Any

import pytest

from jishiyu.tickets import services
from jishiyu.tickets.models import Status, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggested(ticket: Ticket, tree: Any) -> Ticket:
    Ticket.objects.filter(pk=ticket.pk).update(
        suggested_handler={
            "rule": {"handler": f"region:{tree.community.pk}", "name": "翠竹园社区", "level": "community"},
            "learned": {
                "handler": f"region:{tree.grid.pk}",
                "kind": "region",
                "id": tree.grid.pk,
                "name": "翠竹园第一网格",
                "confidence": 0.834,
                "version": 3,
                "alternatives": [],
            },
        }
    )
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def pair(personas: Any, tree: Any, django_capture_on_commit_callbacks: Any) -> tuple[Ticket, Ticket]:
    """Two requests about the same lamp at the same place: the second is flagged as repeating the first (by the
    analysis task queued on commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = services.ticket_create(
            actor=personas["resident"],
            channel="portal",
            kind="help",
            content="翠竹园3栋门口路灯不亮了",
            region=tree.grid,
        )
    with django_capture_on_commit_callbacks(execute=True):
        second, _ = services.ticket_create(
            actor=personas["outsider"], channel="portal", kind="help", content="3栋门口的路灯晚上不亮", region=tree.grid
        )
    second.refresh_from_db()
    assert second.suspected_duplicate_of_id == first.pk
    return first, second


def test_the_dispatcher_sees_the_suggested_handlers_with_the_confidence(
    client: Any, personas: Any, suggested: Ticket
) -> None:
    client.force_login(personas["street_dispatcher"])
    page = client.get(f"/tickets/{suggested.pk}/").content.decode()
    assert "tk-suggestion" in page and "翠竹园社区" in page and "翠竹园第一网格" in page
    assert "83%" in page


@pytest.mark.parametrize("persona", ["community_worker", "grid_worker", "social_worker"])
def test_staff_who_do_not_dispatch_do_not_see_the_suggestion(
    client: Any, personas: Any, suggested: Ticket, persona: str
) -> None:
    client.force_login(personas[persona])
    response = client.get(f"/tickets/{suggested.pk}/")
    assert response.status_code == 200 and "tk-suggestion" not in response.content.decode()


def test_one_click_dispatches_to_the_suggested_handler(
    client: Any, personas: Any, suggested: Ticket, tree: Any
) -> None:
    client.force_login(personas["street_dispatcher"])
    page = client.get(f"/tickets/{suggested.pk}/").content.decode()
    assert f'value="r:{tree.grid.pk}"' in page
    response = client.post(f"/tickets/{suggested.pk}/", {"action": "dispatch", "handler": f"r:{tree.grid.pk}"})
    assert response.status_code == 302
    suggested.refresh_from_db()
    assert (suggested.status, suggested.handler_region_id) == (Status.DISPATCHED, tree.grid.pk)
    assert "tk-dispatch-to" not in client.get(f"/tickets/{suggested.pk}/").content.decode()


def test_the_page_shows_the_suspected_duplicate_both_ways_with_merge_buttons(
    client: Any, personas: Any, pair: tuple[Ticket, Ticket]
) -> None:
    first, second = pair
    client.force_login(personas["street_dispatcher"])
    page = client.get(f"/tickets/{second.pk}/").content.decode()
    assert "tk-dups" in page and f'action="/tickets/{second.pk}/merge/"' in page and f'value="{first.pk}"' in page
    page = client.get(f"/tickets/{first.pk}/").content.decode()
    assert f'action="/tickets/{second.pk}/merge/"' in page


def test_the_dispatcher_merges_the_duplicate_and_lands_on_the_ticket_that_stays(
    client: Any, personas: Any, pair: tuple[Ticket, Ticket]
) -> None:
    first, second = pair
    client.force_login(personas["street_dispatcher"])
    response = client.post(f"/tickets/{second.pk}/merge/", {"into": first.pk, "back": first.pk})
    assert response.status_code == 302 and response["Location"] == f"/tickets/{first.pk}/"
    second.refresh_from_db()
    assert (second.status, second.duplicate_of_id) == (Status.MERGED, first.pk)
    assert "tk-dups" not in client.get(f"/tickets/{first.pk}/").content.decode()


def test_a_refused_merge_comes_back_with_the_reason(client: Any, personas: Any, pair: tuple[Ticket, Ticket]) -> None:
    first, second = pair
    services.ticket_recall(actor=personas["street_dispatcher"], ticket=first)
    client.force_login(personas["street_dispatcher"])
    response = client.post(f"/tickets/{second.pk}/merge/", {"into": first.pk}, follow=True)
    assert response.redirect_chain[-1][0] == f"/tickets/{second.pk}/"
    shown = [str(m) for m in response.context["messages"]]
    assert str(services.MERGE_TARGET_CLOSED) in shown
    second.refresh_from_db()
    assert second.status == Status.ACCEPTED


@pytest.mark.parametrize("persona", ["community_worker", "grid_worker"])
def test_staff_who_do_not_dispatch_see_no_merge_button_and_cannot_merge(
    client: Any, personas: Any, pair: tuple[Ticket, Ticket], persona: str
) -> None:
    first, second = pair
    client.force_login(personas[persona])
    assert "tk-dups" not in client.get(f"/tickets/{second.pk}/").content.decode()
    assert client.post(f"/tickets/{second.pk}/merge/", {"into": first.pk}).status_code == 403
    second.refresh_from_db()
    assert second.status == Status.ACCEPTED


@pytest.mark.parametrize("persona", ["other_community_worker", "outsider", "auditor"])
def test_a_persona_out_of_scope_cannot_merge(
    client: Any, personas: Any, pair: tuple[Ticket, Ticket], persona: str
) -> None:
    first, second = pair
    client.force_login(personas[persona])
    assert client.post(f"/tickets/{second.pk}/merge/", {"into": first.pk}).status_code == 404
    second.refresh_from_db()
    assert second.status == Status.ACCEPTED


def _details(page: str, action: str) -> str:
    """The opening <details> tag of the step whose form carries ``action``."""
    form = page.index(f'data-action="{action}"')
    return page[page.rindex("<details", 0, form) : page.index(">", page.rindex("<details", 0, form)) + 1]


def test_after_sign_for_the_reply_form_is_open_and_the_return_form_folded(
    client: Any, personas: Any, ticket: Ticket, tree: Any
) -> None:
    services.ticket_dispatch(actor=personas["street_dispatcher"], ticket=ticket, handler_region=tree.community)
    services.ticket_sign_for(actor=personas["community_worker"], ticket=ticket)
    client.force_login(personas["community_worker"])
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "open" in _details(page, "reply")
    assert "open" not in _details(page, "request_return")
    assert page.index('data-action="reply"') < page.index('data-action="request_return"')


def test_a_refused_reply_stays_open_with_what_was_typed(client: Any, personas: Any, ticket: Ticket, tree: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.ticket_dispatch(actor=personas["street_dispatcher"], ticket=ticket, handler_region=tree.community)
    services.ticket_sign_for(actor=personas["community_worker"], ticket=ticket)
    client.force_login(personas["community_worker"])
    # a document instead of a photo: the reply is refused, and the text typed is not lost
    document = SimpleUploadedFile("notes.txt", b"plain text", content_type="image/jpeg")
    response = client.post(f"/tickets/{ticket.pk}/", {"action": "reply", "reply": "已派人查看", "photos": [document]})
    page = response.content.decode()
    assert response.status_code == 422
    assert "已派人查看" in page and "open" in _details(page, "reply")
