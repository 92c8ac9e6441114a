"""The scope matrix for the people pages: each persona sees exactly its scope; out of scope is 404."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_user
from jishiyu.people.tests.factories import (
    CHANGE,
    EXPORT,
    PERSONAS,
    REVEAL,
    VIEW,
    VIEW_BY_ROLE,
    build_people,
    make_person,
)


@pytest.fixture
def data(tree, personas):
    return build_people(tree, personas)


@pytest.mark.parametrize("who", PERSONAS)
def test_the_list_page_shows_exactly_the_personas_scope(client, personas, data, who):
    client.force_login(personas[who])
    response = client.get(reverse("people:person-list"))
    if not VIEW_BY_ROLE[who]:  # no role that lists residents: refused, not an empty list (own record: /me/)
        assert response.status_code == 403
        return
    html = response.content.decode()
    shown = {key for key, person in data.people.items() if f">{person.name}<" in html}
    assert shown == VIEW[who]


@pytest.mark.parametrize("who", PERSONAS)
def test_the_htmx_table_shows_exactly_the_personas_scope(client, personas, data, who):
    client.force_login(personas[who])
    response = client.get(
        reverse("people:person-list"), {"name": "居民"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="people-table"
    )
    if not VIEW_BY_ROLE[who]:
        assert response.status_code == 403
        return
    html = response.content.decode()
    assert "<html" not in html
    assert {key for key, person in data.people.items() if f">{person.name}<" in html} == VIEW[who]


@pytest.mark.parametrize("who", PERSONAS)
def test_the_detail_page_answers_404_out_of_scope(client, personas, data, who):
    client.force_login(personas[who])
    for key, person in data.people.items():
        response = client.get(reverse("people:person-detail", args=[person.pk]))
        assert response.status_code == (200 if key in VIEW[who] else 404), key


@pytest.mark.parametrize("who", PERSONAS)
def test_the_edit_page_needs_change_scope(client, personas, data, who):
    client.force_login(personas[who])
    for key, person in data.people.items():
        response = client.get(reverse("people:person-update", args=[person.pk]))
        expected = 200 if key in CHANGE[who] else 403 if key in VIEW[who] else 404
        assert response.status_code == expected, key


@pytest.mark.parametrize("who", PERSONAS)
def test_the_reveal_page_needs_reveal_scope(client, personas, data, who):
    client.force_login(personas[who])
    for key, person in data.people.items():
        url = reverse("people:person-reveal", args=[person.pk, "phone"])
        response = client.post(url, {"reason": "核实身份信息"})
        expected = 200 if key in REVEAL[who] else 403 if key in VIEW[who] else 404
        assert response.status_code == expected, key
        assert (data.phone(key) in response.content.decode()) == (expected == 200)


@pytest.mark.parametrize("who", PERSONAS)
def test_the_export_page_holds_exactly_the_export_scope(client, personas, data, who):
    client.force_login(personas[who])
    response = client.post(reverse("people:person-export"))
    if not EXPORT[who]:
        assert response.status_code == 403
        return
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)} == {data.people[k].name for k in EXPORT[who]}


@pytest.mark.parametrize("who", PERSONAS)
def test_the_awaiting_list_shows_only_accounts_in_verify_scope(client, personas, data, tree, who):
    waiting = {
        "community": make_person("待认证甲", tree.grid2, seq=80, phone="13700000080"),
        "other": make_person("待认证乙", tree.other_grid, seq=81, phone="13700000081"),
    }
    make_user("13700000080", "甲")
    make_user("13700000081", "乙")
    verify = {
        "community_worker": {"community"},
        "community_secretary": {"community"},
        "street_official": {"community"},
        "district_admin": {"community", "other"},
        "other_community_worker": {"other"},
    }
    client.force_login(personas[who])
    response = client.get(reverse("people:person-awaiting"))
    if not personas[who].has_perm_anywhere("people.verify"):
        assert response.status_code == 403
        return
    html = response.content.decode()
    assert {k for k, p in waiting.items() if p.name in html} == verify.get(who, set())


def test_an_anonymous_visitor_is_sent_to_sign_in(client, data):
    response = client.get(reverse("people:person-list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_list_page_runs_a_bounded_number_of_queries(client, personas, data, tree, django_assert_max_num_queries):
    for i in range(40):
        make_person(f"加{i}", tree.grid2, seq=100 + i, tags=("disabled", "subsistence"))
    client.force_login(personas["district_admin"])
    client.get(reverse("people:person-list"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("people:person-list"))
    assert response.status_code == 200 and "加39" in response.content.decode()


@pytest.mark.parametrize("who", PERSONAS)
def test_the_register_form_opens_only_for_those_who_may_change_people(client, personas, data, who):
    client.force_login(personas[who])
    response = client.get(reverse("people:person-create"))
    assert response.status_code == (200 if CHANGE[who] else 404)


@pytest.mark.parametrize("who", PERSONAS)
def test_the_verify_action_needs_verify_scope(client, personas, data, who):
    stranger = make_user("13600000000", "陌生账号")
    verify = {"community_worker", "community_secretary", "street_official", "district_admin", "other_community_worker"}
    client.force_login(personas[who])
    for key, person in data.people.items():
        response = client.post(reverse("people:person-verify", args=[person.pk]), {"user_id": stranger.pk})
        assert response.status_code == (302 if who in verify and key in VIEW[who] else 404), key
        person.refresh_from_db()
        assert person.user_id != stranger.pk
