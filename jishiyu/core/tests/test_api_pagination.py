"""Every paginated list of the API answers a page number of any size without a server error."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def paginated_lists(client) -> list[str]:
    schema = client.get("/api/v1/openapi.json").json()
    return [
        path
        for path, item in schema["paths"].items()
        if "{" not in path
        and "get" in item
        and any(p.get("name") == "page" for p in item["get"].get("parameters", []))
        and not any(p.get("required") for p in item["get"].get("parameters", []))  # walked with page alone
    ]


def test_the_api_has_paginated_lists_to_walk(client):
    assert len(paginated_lists(client)) >= 5


@pytest.mark.parametrize("page", ["99999999999999999999", "10000001"])
def test_a_huge_page_number_is_refused_with_a_problem_naming_the_parameter(client, personas, page):
    client.force_login(personas["district_admin"])
    for path in paginated_lists(client):
        response = client.get(path, {"page": page})
        assert response.status_code == 422, (path, response.status_code)
        assert "page" in response.content.decode(), path


def test_a_page_past_the_end_is_empty(client, personas):
    client.force_login(personas["district_admin"])
    for path in paginated_lists(client):
        response = client.get(path, {"page": "9999999"})
        assert response.status_code in (200, 403, 404), (path, response.status_code)  # 404: not this role's list
        if response.status_code == 200:
            assert response.json()["items"] == [], path
