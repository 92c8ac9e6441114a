"""The people back office: scoped, and never showing encrypted or hashed columns."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jishiyu.people.tests.factories import build_people


@pytest.fixture
def staff_worker(personas):
    user = personas["community_worker"]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_the_admin_list_shows_only_the_workers_community_masked(client, personas, tree, staff_worker):
    data = build_people(tree, personas)
    client.force_login(staff_worker)
    html = client.get(reverse("admin:people_person_changelist")).content.decode()
    assert data.people["grid"].name in html and data.people["other"].name not in html
    assert data.people["grid"].document_masked in html
    assert data.number("grid") not in html


def test_the_admin_change_page_hides_encrypted_values(client, personas, tree, staff_worker):
    data = build_people(tree, personas)
    client.force_login(staff_worker)
    person = data.people["grid"]
    html = client.get(reverse("admin:people_person_change", args=[person.pk])).content.decode()
    assert person.document_enc not in html and person.document_hash not in html and data.phone("grid") not in html
    assert person.document_masked in html


def test_another_communitys_person_is_not_found_in_the_admin(client, personas, tree, staff_worker):
    data = build_people(tree, personas)
    client.force_login(staff_worker)
    response = client.get(reverse("admin:people_person_change", args=[data.people["other"].pk]))
    assert response.status_code in (302, 404)
    assert data.people["other"].name not in response.content.decode()
