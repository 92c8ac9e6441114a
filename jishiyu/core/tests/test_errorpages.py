"""Error answers: translated pages for people, RFC 9457 problem details under /api/."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import translation

from jishiyu.core import errorpages

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_api_url_answers_a_problem_404(client, method):
    response = getattr(client, method)("/api/v1/no-such-thing/42")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == 404 and body["code"] == "not_found" and body["title"]


def test_an_unknown_url_beside_the_api_version_answers_a_problem_404(client):
    response = client.get("/api/v2/people/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_an_api_url_with_a_stray_trailing_slash_is_a_problem_not_a_redirect(client):
    response = client.get("/api/v1/people/?page=2")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_a_post_to_an_unknown_api_url_is_a_problem_404(client):
    response = client.post("/api/v1/nothing-here", {}, content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_a_known_api_url_still_answers(client):
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_an_unknown_page_answers_the_translated_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert 'href="/"' in html
    assert "Page not found" not in html


def test_the_404_page_follows_the_english_switch(client):
    client.cookies["django_language"] = "en"
    response = client.get("/no/such/page/")
    assert "Page not found" in response.content.decode()


def test_the_500_page_renders_without_a_request_context():
    with translation.override("zh-hans"):
        response = errorpages.server_error(RequestFactory().get("/people/"))
    assert response.status_code == 500
    assert "出错了" in response.content.decode()


def test_a_server_error_in_the_api_answers_a_problem_500():
    response = errorpages.server_error(RequestFactory().get("/api/v1/people/"))
    assert response.status_code == 500
    assert response["Content-Type"] == PROBLEM


def test_the_403_page_is_translated():
    with translation.override("zh-hans"):
        response = errorpages.permission_denied(RequestFactory().get("/audit/"), PermissionDenied())
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_a_refusal_in_the_api_answers_a_problem_403():
    response = errorpages.permission_denied(RequestFactory().get("/api/v1/audit/entries"), PermissionDenied())
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM


def test_the_400_page_is_translated():
    with translation.override("zh-hans"):
        response = errorpages.bad_request(RequestFactory().get("/"), ValueError())
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()


def test_with_debug_on_a_missing_page_is_the_products_404_not_djangos_url_list(client, settings):
    """`make run` serves the demo with DEBUG on: a typo in the address must not list every URL pattern."""
    settings.DEBUG = True
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    body = response.content.decode()
    assert "URLconf" not in body and "DEBUG = True" not in body
    assert "<html" in body.lower()


def test_with_debug_on_a_missing_record_is_the_products_404_too(client, settings, personas):
    settings.DEBUG = True
    client.force_login(personas["district_admin"])
    response = client.get("/people/999999999/")
    assert response.status_code == 404
    assert "DEBUG = True" not in response.content.decode()
