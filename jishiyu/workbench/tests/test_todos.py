"""我的待办 shows the work: for every README account of the demo district, the count of each to-do on the
workbench equals the rows of the page it links to, fetched as that account."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from jishiyu.accounts.models import User
from jishiyu.core.shells import BADGE_CAP, todos
from jishiyu.workbench.tests.conftest import signed_in


def _paged(context_key: str) -> Callable[[Client, str], int]:
    """Rows of a paginated list: the rows of every page, following the pager."""

    def rows(client: Client, url: str) -> int:
        total, number = 0, 1
        while True:
            sep = "&" if "?" in url else "?"
            response = client.get(f"{url}{sep}page={number}")
            assert response.status_code == 200, url
            page = response.context["page"]
            total += len(response.context[context_key]) if context_key != "page" else len(page.object_list)
            if not page.has_next():
                return total
            number += 1

    return rows


def _listed(context_key: str) -> Callable[[Client, str], int]:
    """Rows of a list shown whole (its own cap above the to-do's)."""

    def rows(client: Client, url: str) -> int:
        response = client.get(url)
        assert response.status_code == 200, url
        return len(response.context[context_key])

    return rows


def _unread(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return int(response.context["unread"])


# How the page a to-do links to shows its rows. A new to-do needs its line here: the test refuses one
# whose page it cannot read.
ROWS: dict[str, Callable[[Client, str], int]] = {
    "tickets_to_dispatch": _paged("page"),
    "tickets_to_sign_for": _paged("page"),
    "tickets_overdue": _paged("page"),
    "tickets_to_review": _paged("page"),
    "tickets_to_follow_up": _paged("page"),
    "tickets_open": _paged("page"),
    "tickets_callbacks_failing": _listed("deliveries"),
    "charity_claims": _listed("claims"),
    "charity_donations": _listed("donations"),
    "unverified": _listed("items"),
    "data_requests": _listed("items"),
    "lockouts": _paged("rows"),
    "deliberation_votes_to_close": _listed("votes"),
    "deliberation_actions_overdue": _listed("actions"),
    "deliberation_topics_new": _listed("topics"),
    "circles_facilities_gone": _listed("facilities"),
    "notifications": _unread,
}


def test_every_declared_todo_has_a_way_to_count_its_page() -> None:
    assert {t.key for t in todos()} <= set(ROWS)


def test_each_readme_accounts_todo_counts_equal_the_rows_of_the_queues_they_link_to(
    demo_district_built_at: dict[str, User],
) -> None:
    demo_district = demo_district_built_at
    seen: dict[str, dict[str, int]] = {}
    mismatches = []
    for role, user in demo_district.items():
        client = signed_in(user)
        response = client.get("/work/")
        if role == "resident":
            assert response.status_code == 404
            continue
        assert response.status_code == 200, role
        html = response.content.decode()
        seen[role] = {}
        for card in response.context["cards"]:
            assert f'href="{card.url}" data-card="{card.key}"' in html
            rows = ROWS[card.key](client, card.url)
            assert rows <= BADGE_CAP, f"{role} {card.key}: the demo outgrew the badge"
            seen[role][card.key] = int(card.count)
            if int(card.count) != rows:
                mismatches.append(f"{role} {card.key}: badge {card.count}, {rows} rows at {card.url}")
    assert not mismatches, mismatches
    # The demo's work shows: tickets wait for those who handle and dispatch them.
    assert seen["grid_worker"]["tickets_overdue"] > 0
    assert seen["community_worker"]["tickets_overdue"] > 0
    assert seen["street_dispatcher"]["tickets_overdue"] > 0
    assert seen["department_handler"]["tickets_overdue"] > 0
    assert seen["street_dispatcher"]["tickets_to_dispatch"] > 0  # the demo leaves requests for the street to dispatch
    # Each role is shown the to-dos of its work, and only those.
    assert set(seen["street_dispatcher"]) >= {"tickets_to_dispatch", "tickets_overdue", "tickets_to_review"}
    assert set(seen["department_handler"]) == {
        "tickets_to_sign_for",
        "tickets_overdue",
        "tickets_open",
        "notifications",
    }
    assert set(seen["community_worker"]) >= {"tickets_to_sign_for", "charity_claims", "unverified", "data_requests"}
    assert "charity_donations" in seen["community_secretary"]
    # 小区里's work waits too: the demo compound's slipped follow-up and its topics still collecting opinions.
    assert seen["community_secretary"]["deliberation_actions_overdue"] > 0
    assert seen["community_secretary"]["deliberation_topics_new"] > 0
    # 幸福圈's too: a facility the map source no longer holds waits for the community to confirm it.
    assert seen["community_worker"]["circles_facilities_gone"] > 0
    assert "circles_facilities_gone" not in seen["grid_worker"]  # sees the map, changes no facility
    assert set(seen["security_admin"]) == {"lockouts", "notifications"}
    assert set(seen["auditor"]) == {"notifications"}
