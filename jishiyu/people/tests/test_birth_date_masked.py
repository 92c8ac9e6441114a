"""The date of birth is masked wherever the id number is (1962-**-**): pages, API, exports. The full date
only through the audited reveal, as the id number itself."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from jishiyu.audit.models import AuditEntry
from jishiyu.people.models import Person
from jishiyu.people.tests.factories import build_people

API = "/api/v1/people"
FULL, MASKED = "1962-05-17", "1962-**-**"


@pytest.fixture
def data(tree, personas):
    data = build_people(tree, personas)
    Person.objects.filter(pk__in=[p.pk for p in data.people.values()]).update(birth_date=date(1962, 5, 17))
    return data


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def _cells(response):
    return [list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]


def test_the_api_gives_the_masked_date_only(client, personas, data):
    client.force_login(personas["community_worker"])
    person = data.people["grid"]
    listed = client.get(API)
    detail = client.get(f"{API}/{person.pk}").json()
    assert detail["birth_date_masked"] == MASKED and "birth_date" not in detail
    assert FULL not in listed.content.decode() and MASKED in listed.content.decode()


def test_the_full_date_is_revealed_with_a_reason_and_audited_masked(client, personas, data):
    client.force_login(personas["community_worker"])
    person = data.people["grid"]
    response = post(client, f"{API}/{person.pk}/reveal", {"field": "birth_date", "reason": "核实年龄"})
    assert response.json() == {"value": FULL}
    entry = AuditEntry.objects.get(action="reveal")
    assert entry.changes == {"birth_date": MASKED} and entry.reason == "核实年龄"


def test_a_grid_worker_without_the_reveal_permission_cannot_reveal_the_date(client, personas, data):
    client.force_login(personas["grid_worker"])
    response = post(client, f"{API}/{data.people['grid'].pk}/reveal", {"field": "birth_date", "reason": "核实年龄"})
    assert response.status_code == 403 and FULL not in response.content.decode()


@pytest.mark.parametrize("page", ["list", "detail", "household", "edit"])
def test_pages_show_the_masked_date_beside_the_masked_id(client, personas, data, page):
    person = data.people["grid"]
    client.force_login(personas["community_worker"])
    url = {
        "list": "/people/",
        "detail": f"/people/{person.pk}/",
        "household": f"/people/households/{person.household_id}/",
        "edit": f"/people/{person.pk}/edit/",
    }[page]
    html = client.get(url).content.decode()
    assert MASKED in html and FULL not in html


def test_the_detail_page_reveals_the_date_through_the_audited_form(client, personas, data):
    person = data.people["grid"]
    client.force_login(personas["community_worker"])
    assert f"/people/{person.pk}/reveal/birth_date/" in client.get(f"/people/{person.pk}/").content.decode()
    response = client.post(f"/people/{person.pk}/reveal/birth_date/", {"reason": "核实年龄"}, HTTP_HX_REQUEST="true")
    assert FULL in response.content.decode()
    assert AuditEntry.objects.filter(action="reveal", changes={"birth_date": MASKED}).exists()


def test_a_plain_export_masks_the_date_and_a_sensitive_one_gives_it(client, personas, data):
    client.force_login(personas["community_worker"])
    plain = _cells(post(client, f"{API}/export", {"name": "grid2"}))
    assert plain[1][2] == MASKED
    sensitive = _cells(
        post(client, f"{API}/export", {"include_sensitive": True, "reason": "民政走访名单", "name": "grid2"})
    )
    assert sensitive[1][2] == FULL
