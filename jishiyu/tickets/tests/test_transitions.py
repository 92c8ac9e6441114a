"""The transition table: every legal move lands where the table says; illegal ones are refused."""

from __future__ import annotations

import pytest

from jishiyu.core.errors import DomainError
from jishiyu.tickets.forms import ActionForm
from jishiyu.tickets.models import Status
from jishiyu.tickets.schemas import TicketActionIn
from jishiyu.tickets.services import RUNNERS
from jishiyu.tickets.transitions import TRANSITIONS, target_status

HAPPY_PATH = [
    ("dispatch", Status.ACCEPTED, Status.DISPATCHED),
    ("sign_for", Status.DISPATCHED, Status.SIGNED_FOR),
    ("handle", Status.SIGNED_FOR, Status.HANDLING),
    ("reply", Status.HANDLING, Status.REPLIED),
    ("approve_reply", Status.REPLIED, Status.REVIEWED),
    ("follow_up", Status.REVIEWED, Status.FOLLOWED_UP),
    ("close", Status.FOLLOWED_UP, Status.CLOSED),
]


@pytest.mark.parametrize(("action", "before", "after"), HAPPY_PATH)
def test_the_happy_path_moves_step_by_step(action: str, before: str, after: str) -> None:
    assert target_status(action, before) == after


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("sign_for", Status.ACCEPTED),
        ("reply", Status.DISPATCHED),
        ("close", Status.HANDLING),
        ("dispatch", Status.CLOSED),
        ("redo", Status.HANDLING),
        ("approve_return", Status.SIGNED_FOR),
        ("request_return", Status.HANDLING),
        ("urge", Status.CLOSED),
    ],
)
def test_an_illegal_move_is_refused_with_a_clear_error(action: str, status: str) -> None:
    with pytest.raises(DomainError) as caught:
        target_status(action, status)
    assert caught.value.code == "illegal_transition"


def test_an_unknown_action_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        target_status("teleport", Status.ACCEPTED)
    assert caught.value.code == "unknown_action"


def test_a_refused_extension_goes_back_to_the_status_before_the_request() -> None:
    assert target_status("reject_extension", Status.EXTENSION_REQUESTED, Status.SIGNED_FOR) == Status.SIGNED_FOR


def test_urging_leaves_the_status_as_it_is() -> None:
    assert target_status("urge", Status.HANDLING) == Status.HANDLING


def test_no_action_leaves_a_final_status_except_redo_after_close() -> None:
    finals = {Status.CLOSED, Status.SCREENED_OUT, Status.MERGED, Status.RECALLED}
    leaving = {t.action for t in TRANSITIONS.values() if t.sources & finals}
    assert leaving == {"redo"}


def test_every_step_of_the_table_has_one_service_that_takes_it() -> None:
    assert set(RUNNERS) == set(TRANSITIONS)


def test_the_page_and_the_api_accept_every_field_a_step_lists() -> None:
    api_fields = set(TicketActionIn.model_fields)
    for transition in TRANSITIONS.values():
        assert set(transition.fields) <= set(ActionForm.base_fields), transition.action
        # a reply's photos reach the API through POST /tickets/{id}/photos, before the reply
        assert set(transition.fields) - {"photos"} <= api_fields, transition.action


def test_the_handlers_own_steps_are_those_under_the_handle_permission() -> None:
    by_handler = {t.action for t in TRANSITIONS.values() if t.by_handler}
    assert by_handler == {"sign_for", "request_return", "handle", "reply", "request_extension", "request_screening"}
