"""Staff workbench (工作台): what waits for me, scoped; my region."""

from __future__ import annotations

import pytest

from jishiyu.accounts.roles import role_permissions

pytestmark = pytest.mark.django_db


# The cards of the people and messages apps; the other modules' to-dos are held in test_todos.py.
PEOPLE_CARDS = ("unverified", "data_requests", "notifications")


def _counts(response) -> dict[str, int]:
    return {card.key: card.count for card in response.context["cards"] if card.key in PEOPLE_CARDS}


def _keys(response) -> set[str]:
    return {card.key for card in response.context["cards"]}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("resident", 404),
        ("outsider", 404),
        ("community_worker", 200),
        ("street_official", 200),
        ("district_admin", 200),
        ("auditor", 200),
    ],
)
def test_the_workbench_answers_each_persona(client, personas, persona, status):
    client.force_login(personas[persona])
    assert client.get("/work/").status_code == status


def test_the_workbench_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get("/work/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_community_worker_counts_only_their_communitys_waiting_work(client, personas, population):
    client.force_login(personas["community_worker"])
    assert _counts(client.get("/work/")) == {"unverified": 1, "data_requests": 1, "notifications": 2}


def test_another_community_worker_counts_their_own_community_only(client, personas, population):
    client.force_login(personas["other_community_worker"])
    assert _counts(client.get("/work/")) == {"unverified": 1, "data_requests": 1, "notifications": 0}


def test_a_street_official_counts_their_street(client, personas, population):
    client.force_login(personas["street_official"])
    assert _counts(client.get("/work/")) == {"unverified": 1, "data_requests": 1, "notifications": 0}


def test_a_district_admin_counts_the_whole_district(client, personas, population):
    client.force_login(personas["district_admin"])
    assert _counts(client.get("/work/")) == {"unverified": 2, "data_requests": 2, "notifications": 0}


def test_a_grid_worker_who_cannot_verify_sees_no_verification_card(client, personas, population):
    client.force_login(personas["grid_worker"])
    assert _keys(client.get("/work/")) == {"notifications", "tickets_to_sign_for", "tickets_overdue", "tickets_open"}


def test_an_auditor_is_shown_only_their_messages(client, personas, population):
    client.force_login(personas["auditor"])
    assert _keys(client.get("/work/")) == {"notifications"}


def test_a_badge_beyond_the_cap_reads_99_plus(client, personas):
    from jishiyu.notifications.models import Notification

    user = personas["auditor"]
    Notification.objects.bulk_create([Notification(user=user, title=f"n{i}") for i in range(120)])
    client.force_login(user)
    response = client.get("/work/")
    card = next(c for c in response.context["cards"] if c.key == "notifications")
    assert (int(card.count), card.display) == (100, "99+")
    assert '<span class="waiting-n">99+</span>' in response.content.decode()


def test_my_region_lists_each_role_with_the_path_to_its_region(client, personas, population):
    client.force_login(personas["community_worker"])
    html = client.get("/work/").content.decode()
    assert "社区工作者" in html
    assert "雨花台区 › 雨花街道 › <strong>翠竹园社区</strong>" in html


def test_the_cards_link_to_the_lists(client, personas, population):
    client.force_login(personas["community_worker"])
    urls = {card.key: card.url for card in client.get("/work/").context["cards"]}
    assert urls["unverified"] == "/people/awaiting/"
    assert urls["data_requests"] == "/me/staff/requests/"
    assert urls["tickets_overdue"] == "/tickets/?queue=overdue"
    assert urls["notifications"] == "/inbox/"


def test_the_workbench_stays_within_a_query_budget(client, personas, population, django_assert_max_num_queries):
    client.force_login(personas["district_admin"])
    cards = client.get("/work/").context["cards"]
    assert len(cards) == 13  # tickets ×5, charity ×2, people ×2, deliberation ×2, circles, notifications
    # the session, the user and their roles, one bounded count per to-do (two for residents to verify:
    # the sign-ups matched by phone), the department look-ups of the ticket queues, the two menu rules
    # that read regions (ticket settings, ticket figures), the scope lines
    with django_assert_max_num_queries(12 + len(cards)):
        client.get("/work/")


def test_the_staff_nav_shows_what_a_community_worker_may_use(client, personas):
    client.force_login(personas["community_worker"])
    html = client.get("/work/").content.decode()
    for key in ("workbench", "people", "regions", "organisations", "dashboard"):
        assert f'data-nav="{key}"' in html
    assert 'data-nav="audit"' not in html


def test_the_staff_nav_shows_an_auditor_the_audit_log_but_not_residents(client, personas):
    client.force_login(personas["auditor"])
    html = client.get("/work/").content.decode()
    assert 'data-nav="audit"' in html
    assert 'data-nav="people"' not in html
    assert 'data-nav="dashboard"' not in html


def test_the_staff_nav_shows_staff_accounts_to_who_manages_them_only(client, personas):
    client.force_login(personas["community_secretary"])
    assert 'data-nav="staff"' in client.get("/work/").content.decode()
    client.force_login(personas["community_worker"])
    assert 'data-nav="staff"' not in client.get("/work/").content.decode()


@pytest.mark.parametrize("persona", ["resident", "outsider"])
def test_residents_and_outsiders_see_no_staff_nav(client, personas, persona):
    client.force_login(personas[persona])
    assert "staffnav" not in client.get("/accounts/login/").content.decode()


# staff roles (a persona each in conftest), split by whether they hold circles.view
STAFF_ROLES = [r for r in role_permissions() if r != "resident"]
CIRCLES_ROLES = [r for r in STAFF_ROLES if "circles.view" in role_permissions()[r]]


@pytest.mark.parametrize("persona", CIRCLES_ROLES)
def test_the_staff_nav_leads_whoever_may_see_life_circles_to_the_coverage_map(client, personas, persona):
    client.force_login(personas[persona])
    html = client.get("/work/").content.decode()
    assert 'href="/circles/" data-nav="circles"' in html
    assert client.get("/circles/").status_code == 200


@pytest.mark.parametrize("persona", [r for r in STAFF_ROLES if r not in CIRCLES_ROLES])
def test_the_staff_nav_hides_life_circles_from_who_may_not_see_them(client, personas, persona):
    client.force_login(personas[persona])
    assert 'data-nav="circles"' not in client.get("/work/").content.decode()
    assert client.get("/circles/").status_code == 404


def test_the_todos_and_tools_read_in_chinese(client, personas, population):
    client.force_login(personas["district_admin"])
    html = client.get("/work/").content.decode()
    for text in ("待派单工单", "已超期工单", "待审核工单", "待确认捐赠", "更多功能", "派单规则"):
        assert text in html
