"""Resident portal (居民端): home, module pages, my requests, messages, 我的, elder-friendly display."""

from __future__ import annotations

import pytest
from django.conf import settings

from jishiyu.portal.modules import modules

pytestmark = pytest.mark.django_db

PERSONAS = ["resident", "community_worker", "street_official", "district_admin", "outsider"]


@pytest.mark.parametrize("persona", [*PERSONAS, None])
def test_the_home_shows_the_four_modules_to_everyone(client, personas, persona):
    if persona:
        client.force_login(personas[persona])
    html = client.get("/").content.decode()
    for title in ("社区通", "小区里", "公益行", "幸福圈"):
        assert title in html


@pytest.mark.parametrize("module", [m.slug for m in modules()])
def test_each_module_card_leads_to_a_page_whose_links_all_resolve(client, personas, module):
    client.force_login(personas["resident"])
    response = client.get(f"/m/{module}/")
    assert response.status_code == 200
    for _label, name in BY_LINKS[module]:
        assert client.get(_reverse(name)).status_code == 200


def _reverse(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


BY_LINKS = {m.slug: m.links for m in modules()}


def test_an_unknown_module_answers_404(client):
    assert client.get("/m/nothing/").status_code == 404


@pytest.mark.parametrize("url", ["/requests/", "/inbox/", "/me/"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_personal_pages_open_for_every_signed_in_persona(client, personas, url, persona):
    client.force_login(personas[persona])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/requests/", "/inbox/", "/me/"])
def test_the_personal_pages_send_an_anonymous_visitor_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_bottom_bar_marks_the_current_tab(client, personas):
    client.force_login(personas["resident"])
    html = client.get("/requests/").content.decode()
    assert 'href="/requests/" aria-current="page"' in html


def test_my_requests_shows_an_empty_state(client, personas):
    client.force_login(personas["resident"])
    assert "您还没有诉求" in client.get("/requests/").content.decode()


def test_messages_lists_only_the_actors_own_notifications(client, personas, population):
    client.force_login(personas["community_worker"])
    assert client.get("/messages/")["Location"] == "/inbox/"
    notes = list(client.get("/inbox/").context["page"])
    assert {n.title for n in notes} == {"新诉求", "提醒", "已读"}
    client.force_login(personas["district_admin"])
    assert list(client.get("/inbox/").context["page"]) == []


def test_a_resident_reads_messages_with_the_bottom_bar(client, personas):
    client.force_login(personas["resident"])
    html = client.get("/inbox/").content.decode()
    assert 'href="/inbox/" aria-current="page"' in html


def test_me_shows_the_masked_phone_and_the_verified_state(client, personas, population):
    client.force_login(personas["resident"])
    html = client.get("/me/").content.decode()
    assert "138****0001" in html
    assert "13800000001" not in html
    assert "已认证" in html


def test_me_shows_a_waiting_state_to_a_resident_not_yet_verified(client, population):
    client.force_login(population.unverified_in_community.user)
    assert "等待社区认证" in client.get("/me/").content.decode()


def test_me_links_to_my_data_and_offers_sign_out(client, personas):
    client.force_login(personas["outsider"])
    html = client.get("/me/").content.decode()
    assert 'href="/me/data/"' in html
    assert 'action="/accounts/logout/"' in html


def test_saving_preferences_stores_them_and_sets_the_language_cookie(client, personas):
    user = personas["resident"]
    client.force_login(user)
    response = client.post("/me/", {"elder_mode": "on", "language": "en"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.elder_mode, user.language) == (True, "en")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_next_page_is_in_the_chosen_language_and_large(client, personas):
    client.force_login(personas["resident"])
    client.post("/me/", {"elder_mode": "on", "language": "en"})
    html = client.get("/").content.decode()
    assert '<html lang="en" class="elder">' in html
    assert "Community Link" in html


def test_an_unknown_language_is_refused_beside_the_field(client, personas):
    user = personas["resident"]
    client.force_login(user)
    response = client.post("/me/", {"language": "xx"})
    assert response.status_code == 400
    assert "xx" in response.context["form"].errors["language"][0]
    user.refresh_from_db()
    assert user.language == ""


def test_a_visitor_turns_on_elder_mode_with_a_cookie(client, tree):
    response = client.post("/display/", {"elder": "1", "next": "/m/charity/"})
    assert response.status_code == 302
    assert response["Location"] == "/m/charity/"
    assert response.cookies["elder"].value == "1"
    assert 'class="elder"' in client.get("/").content.decode()


def test_a_visitor_turns_elder_mode_off_again(client, tree):
    client.cookies["elder"] = "1"
    client.post("/display/", {"elder": "0", "next": "/"})
    assert 'class="elder"' not in client.get("/").content.decode()


def test_a_signed_in_user_turning_on_elder_mode_saves_the_setting(client, personas):
    user = personas["outsider"]
    client.force_login(user)
    client.post("/display/", {"elder": "1", "next": "/"})
    user.refresh_from_db()
    assert user.elder_mode is True


def test_the_display_switch_never_redirects_off_site(client, tree):
    response = client.post("/display/", {"elder": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_display_switch_only_accepts_post(client, tree):
    assert client.get("/display/").status_code == 405


def test_every_page_has_a_skip_link_to_the_main_content(client, tree):
    html = client.get("/").content.decode()
    assert 'class="skip" href="#main"' in html
    assert 'id="main"' in html


def test_messages_stay_within_a_query_budget(client, personas, population, django_assert_max_num_queries):
    client.force_login(personas["community_worker"])
    with django_assert_max_num_queries(10):
        assert client.get("/inbox/").status_code == 200


def test_the_bottom_bar_targets_are_the_four_tabs(client, personas):
    client.force_login(personas["resident"])
    html = client.get("/").content.decode()
    for href in ('href="/"', 'href="/requests/"', 'href="/inbox/"', 'href="/me/"'):
        assert href in html
