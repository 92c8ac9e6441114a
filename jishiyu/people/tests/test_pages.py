"""The people pages: forms call the services and show their errors beside the fields; reveal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import make_user
from jishiyu.audit.models import AuditEntry
from jishiyu.core.testing import make_id_number
from jishiyu.people.forms import PersonExportForm
from jishiyu.people.models import Person
from jishiyu.people.tests.factories import build_people, make_person


@pytest.fixture
def data(tree, personas):
    return build_people(tree, personas)


def _form(tree, **extra):
    return {
        "name": "赵六",
        "document_type": "mainland_id",
        "document_number": "",
        "phone": "",
        "region": tree.grid.pk,
        "gender": "",
        "relation_to_head": "",
        **extra,
    }


def test_registering_through_the_form_redirects_to_the_masked_detail(client, personas, tree):
    client.force_login(personas["community_worker"])
    number = make_id_number(seq=31)
    response = client.post(reverse("people:person-create"), _form(tree, document_number=number, tags=["disabled"]))
    person = Person.objects.get(name="赵六")
    assert response.status_code == 302 and response["Location"] == reverse("people:person-detail", args=[person.pk])
    html = client.get(response["Location"]).content.decode()
    assert person.document_masked in html and number not in html


def test_a_wrong_check_digit_shows_a_chinese_message_beside_the_field(client, personas, tree):
    client.force_login(personas["community_worker"])
    number = make_id_number(seq=31)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    response = client.post(reverse("people:person-create"), _form(tree, document_number=wrong))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_document_number-error">身份证号校验位不正确' in html
    assert not Person.objects.exists()


def test_registering_in_another_community_is_not_offered(client, personas, tree):
    client.force_login(personas["community_worker"])
    response = client.post(reverse("people:person-create"), _form(tree, region=tree.other_grid.pk))
    assert response.status_code == 422 and "region" in response.context["form"].errors
    assert not Person.objects.exists()


def test_a_person_without_change_rights_cannot_open_the_register_form(client, personas, tree):
    client.force_login(personas["social_worker"])
    assert client.get(reverse("people:person-create")).status_code == 404


def test_editing_with_blank_phone_keeps_the_stored_phone(client, personas, tree, data):
    person = data.people["grid"]
    client.force_login(personas["community_worker"])
    url = reverse("people:person-update", args=[person.pk])
    response = client.post(url, _form(tree, name="新名字"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "新名字" and person._phone_plain() == data.phone("grid")


def test_the_reveal_button_opens_a_reason_form_as_a_fragment(client, personas, data):
    client.force_login(personas["community_worker"])
    url = reverse("people:person-reveal", args=[data.people["grid"].pk, "document_number"])
    response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'name="reason"' in html
    assert data.number("grid") not in html
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_revealing_on_the_page_without_a_reason_shows_the_error_and_no_value(client, personas, data):
    client.force_login(personas["community_worker"])
    url = reverse("people:person-reveal", args=[data.people["grid"].pk, "phone"])
    response = client.post(url, {"reason": "看"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and data.phone("grid") not in response.content.decode()
    assert "field-error" in response.content.decode()
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_revealing_on_the_page_swaps_in_the_value_uncached_and_audits(client, personas, data):
    client.force_login(personas["community_worker"])
    url = reverse("people:person-reveal", args=[data.people["grid"].pk, "phone"])
    response = client.post(url, {"reason": "上门走访核实"}, HTTP_HX_REQUEST="true")
    assert data.phone("grid") in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="reveal")
    assert entry.reason == "上门走访核实" and data.phone("grid") not in str(entry.changes)


def test_the_detail_page_shows_reveal_buttons_only_to_those_who_may_reveal(client, personas, data):
    url = reverse("people:person-detail", args=[data.people["grid"].pk])
    client.force_login(personas["community_worker"])
    assert "/reveal/phone/" in client.get(url).content.decode()
    client.force_login(personas["grid_worker"])
    assert "/reveal/phone/" not in client.get(url).content.decode()


def test_an_unknown_reveal_field_is_404(client, personas, data):
    client.force_login(personas["community_worker"])
    assert client.get(f"/people/{data.people['grid'].pk}/reveal/name/").status_code == 404


def test_a_sensitive_export_from_the_page_without_a_reason_goes_back_with_a_message(client, personas, data):
    client.force_login(personas["community_worker"])
    response = client.post(reverse("people:person-export"), {"include_sensitive": "on", "reason": ""}, follow=True)
    assert "导出证件号码和手机号须填写事由" in response.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_verifying_from_the_awaiting_list_links_the_account(client, personas, tree):
    person = make_person("待认证", tree.grid2, seq=90, phone="13700000090")
    account = make_user("13700000090", "待认证")
    client.force_login(personas["community_worker"])
    response = client.post(reverse("people:person-verify", args=[person.pk]), {"user_id": account.pk})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user_id == account.pk and person.verified_at is not None


def test_the_list_page_is_in_english_when_asked(client, personas, data):
    client.force_login(personas["community_worker"])
    html = client.get(reverse("people:person-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Residents" in html and "Export this list" in html


def test_an_export_filtered_by_a_region_outside_the_area_is_refused_not_widened(client, personas, tree, data):
    """The probe's export named another community; the filter was dropped and the whole area came out."""
    client.force_login(personas["community_worker"])
    response = client.post(reverse("people:person-export"), {"region": tree.other_community.pk}, follow=True)
    assert response["Content-Type"].startswith("text/html")
    shown = [str(m) for m in response.context["messages"]]
    label = str(PersonExportForm.base_fields["region"].label)
    assert any(m.startswith(f"{label}: ") for m in shown), shown
    assert not AuditEntry.objects.filter(action="export").exists()
