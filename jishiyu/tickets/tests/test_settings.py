"""The district's ticket settings (catalogue, time limits, holidays): pages and API, for the roles that may
and against the ones that may not; validation per field; every change audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import make_user
from jishiyu.audit.models import AuditEntry
from jishiyu.tickets import deadlines
from jishiyu.tickets.models import Category, Holiday, TimeLimitPolicy
from jishiyu.tickets.tests.conftest import Role

pytestmark = pytest.mark.django_db

UNCOVERED = 2031  # a year the calendar package does not cover yet


@pytest.fixture
def district_dispatcher(tree: Any) -> Any:
    """A dispatcher of the whole district (派单 at the district node itself): reads the settings pages."""
    return make_user("13800000021", "区派单员", Role.STREET_DISPATCHER, tree.district)


def category_form(**extra: Any) -> dict[str, Any]:
    return {"code": "S9901", "name": "电梯困人", "domain": "social", "version": "2025.1", "active": "on", **extra}


def policy_form(**extra: Any) -> dict[str, Any]:
    values = {
        "name": "网格上报的投诉 10 个工作日",
        "channel": "grid",
        "kind": "complaint",
        "amount": "13",
        "unit": "working_days",
        "sign_for_amount": "2",
        "sign_for_unit": "hours",
        "return_window_hours": "24",
        "warn_before_hours": "24",
        "effective_from": "2025-01-01",
    }
    return {**values, **extra}


# --- pages ------------------------------------------------------------------------------------------


def test_the_district_admin_finds_the_settings_in_the_staff_navigation(client: Any, personas: Any) -> None:
    client.force_login(personas["district_admin"])
    page = client.get("/tickets/settings/categories/").content.decode()
    assert 'data-nav="ticket_settings"' in page and "C0105" in page and "路灯" in page
    assert "/tickets/settings/categories/new/" in page


def test_the_district_admin_adds_a_category_from_the_page_and_it_is_audited(client: Any, personas: Any) -> None:
    client.force_login(personas["district_admin"])
    parent = Category.objects.get(code="E01")
    response = client.post("/tickets/settings/categories/new/", category_form(domain="event", parent=parent.pk))
    assert response.status_code == 302
    added = Category.objects.get(code="S9901")
    assert (added.parent_id, added.active) == (parent.pk, True)
    entry = AuditEntry.objects.get(object_type="tickets.category", object_id=str(added.pk))
    assert entry.actor == personas["district_admin"]


def test_a_category_form_with_mistakes_names_each_field_and_stores_nothing(client: Any, personas: Any) -> None:
    client.force_login(personas["district_admin"])
    before = Category.objects.count()
    response = client.post("/tickets/settings/categories/new/", category_form(code="C0105", name="", domain="x"))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert {"code", "name", "domain"} <= set(errors)
    assert 'data-field="code"' in response.content.decode()
    assert Category.objects.count() == before


def test_a_category_cannot_sit_under_its_own_subcategory(client: Any, personas: Any) -> None:
    client.force_login(personas["district_admin"])
    top, child = Category.objects.get(code="C01"), Category.objects.get(code="C0105")
    form = category_form(code="C01", name=top.name, domain="component", parent=child.pk)
    response = client.post(f"/tickets/settings/categories/{top.pk}/", form)
    assert response.status_code == 422 and "parent" in response.context["form"].errors
    top.refresh_from_db()
    assert top.parent_id is None


def test_the_district_admin_retires_a_category_and_residents_no_longer_see_it(client: Any, personas: Any) -> None:
    client.force_login(personas["district_admin"])
    lamp = Category.objects.get(code="C0105")
    form = category_form(code="C0105", name="路灯", domain="component", parent=lamp.parent_id)
    del form["active"]
    assert client.post(f"/tickets/settings/categories/{lamp.pk}/", form).status_code == 302
    lamp.refresh_from_db()
    assert not lamp.active
    codes = [c["code"] for c in client.get("/api/v1/tickets/categories").json()]
    assert "C0105" not in codes


def test_the_district_admin_adds_changes_and_deletes_a_time_limit(client: Any, personas: Any) -> None:
    client.force_login(personas["district_admin"])
    assert client.post("/tickets/settings/time-limits/new/", policy_form()).status_code == 302
    policy = TimeLimitPolicy.objects.get(channel="grid")
    assert (policy.kind, policy.amount, policy.effective_to) == ("complaint", 13, None)
    assert "网格上报的投诉 10 个工作日" in client.get("/tickets/settings/time-limits/").content.decode()
    edited = policy_form(amount="10", effective_to="2025-12-31")
    assert client.post(f"/tickets/settings/time-limits/{policy.pk}/", edited).status_code == 302
    policy.refresh_from_db()
    assert (policy.amount, policy.effective_to) == (10, dt.date(2025, 12, 31))
    assert client.post(f"/tickets/settings/time-limits/{policy.pk}/delete/").status_code == 302
    assert not TimeLimitPolicy.objects.filter(channel="grid").exists()
    actions = set(AuditEntry.objects.filter(object_type="tickets.timelimitpolicy").values_list("action", flat=True))
    assert actions == {"create", "update", "delete"}


def test_a_time_limit_with_bad_dates_or_an_overlap_is_refused_beside_the_field(client: Any, personas: Any) -> None:
    client.force_login(personas["district_admin"])
    response = client.post(
        "/tickets/settings/time-limits/new/", policy_form(effective_to="2024-06-01", amount="0", kind="rant")
    )
    assert response.status_code == 422
    assert {"effective_to", "amount", "kind"} <= set(response.context["form"].errors)
    client.post("/tickets/settings/time-limits/new/", policy_form())
    response = client.post("/tickets/settings/time-limits/new/", policy_form(effective_from="2025-06-01"))
    assert response.status_code == 422 and "effective_from" in response.context["form"].errors
    assert TimeLimitPolicy.objects.filter(channel="grid").count() == 1


def test_a_holiday_in_an_uncovered_year_sets_the_deadlines_and_a_covered_year_is_refused(
    client: Any, personas: Any
) -> None:
    client.force_login(personas["district_admin"])
    response = client.post("/tickets/settings/holidays/new/", {"date": "2025-10-01", "note": "国庆"})
    assert response.status_code == 422 and "2025" in str(response.context["form"].errors["date"])
    day = dt.date(UNCOVERED, 1, 2)  # a Thursday
    response = client.post("/tickets/settings/holidays/new/", {"date": day.isoformat(), "note": "元旦"})
    assert response.status_code == 302
    again = client.post("/tickets/settings/holidays/new/", {"date": day.isoformat(), "note": "元旦"})
    assert again.status_code == 422 and "date" in again.context["form"].errors
    start = dt.datetime(UNCOVERED, 1, 1, 9, tzinfo=deadlines.LOCAL)
    deadline = deadlines.add_working_days(start, 1)
    assert deadline.at.date() == dt.date(UNCOVERED, 1, 3) and deadline.provisional
    page = client.get("/tickets/settings/holidays/").content.decode()
    assert str(UNCOVERED) in page and "元旦" in page
    holiday = Holiday.objects.get()
    assert client.post(f"/tickets/settings/holidays/{holiday.pk}/delete/").status_code == 302
    assert not Holiday.objects.exists()


def test_a_district_dispatcher_reads_the_settings_but_cannot_change_them(client: Any, district_dispatcher: Any) -> None:
    client.force_login(district_dispatcher)
    for url in ("/tickets/settings/categories/", "/tickets/settings/time-limits/", "/tickets/settings/holidays/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "/new/" not in response.content.decode()
    assert 'data-nav="ticket_settings"' in client.get("/tickets/settings/categories/").content.decode()
    assert client.get("/tickets/settings/categories/new/").status_code == 403
    before = Category.objects.count()
    assert client.post("/tickets/settings/categories/new/", category_form()).status_code == 403
    assert client.post("/tickets/settings/holidays/new/", {"date": f"{UNCOVERED}-01-02"}).status_code == 403
    assert Category.objects.count() == before and not Holiday.objects.exists()


@pytest.mark.parametrize(
    "persona", ["street_dispatcher", "community_worker", "grid_worker", "auditor", "resident", "outsider"]
)
def test_other_roles_do_not_find_the_settings_pages(client: Any, personas: Any, persona: str) -> None:
    client.force_login(personas[persona])
    for url in ("/tickets/settings/categories/", "/tickets/settings/time-limits/", "/tickets/settings/holidays/"):
        assert client.get(url).status_code == 404
    assert client.post("/tickets/settings/holidays/new/", {"date": f"{UNCOVERED}-01-02"}).status_code == 404
    assert not Holiday.objects.exists()
    assert 'data-nav="ticket_settings"' not in client.get("/tickets/").content.decode()


# --- API --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["community_worker", "grid_worker", "street_dispatcher", "department_handler"])
def test_staff_read_the_settings_through_the_api(client: Any, personas: Any, persona: str) -> None:
    TimeLimitPolicy.objects.create(channel="grid", kind="help", amount=1, effective_from=dt.date(2025, 1, 1))
    client.force_login(personas[persona])
    categories = client.get("/api/v1/tickets/settings/categories?version=2025.1").json()
    assert "C0105" in {c["code"] for c in categories}
    limits = client.get("/api/v1/tickets/settings/time-limits").json()
    assert [p["amount"] for p in limits if p["channel"] == "grid"] == [1]
    assert client.get("/api/v1/tickets/settings/holidays").status_code == 200


@pytest.mark.parametrize("persona", ["resident", "outsider", "auditor", "system_admin"])
def test_non_staff_get_404_from_the_settings_api(client: Any, personas: Any, persona: str) -> None:
    client.force_login(personas[persona])
    for path in ("categories", "time-limits", "holidays"):
        assert client.get(f"/api/v1/tickets/settings/{path}").status_code == 404
    response = client.post(
        "/api/v1/tickets/settings/holidays", {"date": f"{UNCOVERED}-01-02"}, content_type="application/json"
    )
    assert response.status_code == 404 and not Holiday.objects.exists()


def test_staff_other_than_the_district_admin_may_not_write_through_the_api(client: Any, personas: Any) -> None:
    client.force_login(personas["street_dispatcher"])
    response = client.post(
        "/api/v1/tickets/settings/holidays", {"date": f"{UNCOVERED}-01-02"}, content_type="application/json"
    )
    assert response.status_code == 403 and not Holiday.objects.exists()
    lamp = Category.objects.get(code="C0105")
    body = {"code": "C0105", "name": "改名", "domain": "component"}
    response = client.put(f"/api/v1/tickets/settings/categories/{lamp.pk}", body, content_type="application/json")
    assert response.status_code == 403
    lamp.refresh_from_db()
    assert lamp.name == "路灯"


def test_the_district_admin_writes_through_the_api_with_field_errors(
    client: Any, personas: Any, api_token: Any
) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(personas['district_admin'])}"}
    created = client.post(
        "/api/v1/tickets/settings/categories",
        {"code": "S9902", "name": "燃气泄漏", "domain": "social"},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201 and created.json()["version"] == "2025.1"
    assert AuditEntry.objects.filter(object_type="tickets.category", actor=personas["district_admin"]).exists()
    bad = client.post(
        "/api/v1/tickets/settings/time-limits",
        {"amount": 0, "unit": "fortnights", "effective_from": "2025-01-01", "effective_to": "2024-01-01"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 422
    assert {"amount", "unit", "effective_to"} <= set(bad.json()["errors"])
    policy = client.post(
        "/api/v1/tickets/settings/time-limits",
        {"channel": "open311", "kind": "enquiry", "amount": 3, "effective_from": "2025-01-01"},
        content_type="application/json",
        **auth,
    )
    assert policy.status_code == 201
    pid = policy.json()["id"]
    changed = client.put(
        f"/api/v1/tickets/settings/time-limits/{pid}",
        {"channel": "open311", "kind": "enquiry", "amount": 2, "effective_from": "2025-01-01"},
        content_type="application/json",
        **auth,
    )
    assert changed.status_code == 200 and changed.json()["amount"] == 2
    assert client.delete(f"/api/v1/tickets/settings/time-limits/{pid}", **auth).status_code == 204
    holiday = client.post(
        "/api/v1/tickets/settings/holidays",
        {"date": f"{UNCOVERED}-02-01", "is_workday": True, "note": "调休"},
        content_type="application/json",
        **auth,
    )
    assert holiday.status_code == 201 and holiday.json()["is_workday"] is True
    covered = client.post(
        "/api/v1/tickets/settings/holidays", {"date": "2025-02-01"}, content_type="application/json", **auth
    )
    assert covered.status_code == 422 and "date" in covered.json()["errors"]
    assert client.get("/api/v1/tickets/settings/holidays/999999", **auth).status_code in (404, 405)
    assert client.delete("/api/v1/tickets/settings/holidays/999999", **auth).status_code == 404


@pytest.mark.parametrize("model", ["category", "timelimitpolicy", "holiday"])
def test_the_admin_shows_the_settings_read_only_so_no_change_skips_the_services_checks(
    client: Any, personas: Any, model: str
) -> None:
    admin = personas["district_admin"]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    listing = client.get(f"/admin/tickets/{model}/")
    assert listing.status_code == 200
    assert f"/admin/tickets/{model}/add/" not in listing.content.decode()
    assert client.get(f"/admin/tickets/{model}/add/").status_code == 403
    row = {"category": Category, "timelimitpolicy": TimeLimitPolicy, "holiday": Holiday}[model].objects.first()
    if row is None:
        row = Holiday.objects.create(date=dt.date(UNCOVERED, 1, 2), is_workday=False, note="试")
    before = {f.name: getattr(row, f.name) for f in row._meta.concrete_fields}
    response = client.post(f"/admin/tickets/{model}/{row.pk}/change/", {"note": "改", "name": "改", "active": ""})
    assert response.status_code in (403, 200)  # a view-only form ignores a post
    row.refresh_from_db()
    assert {f.name: getattr(row, f.name) for f in row._meta.concrete_fields} == before
    assert client.post(f"/admin/tickets/{model}/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert type(row).objects.filter(pk=row.pk).exists()
