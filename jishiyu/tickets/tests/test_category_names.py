"""Category names: no two active categories share one; English pages, forms and figures show the English name,
Chinese ones the Chinese name; the API carries both; the selects group each subcategory under its top one."""

from __future__ import annotations

import importlib
import re
from collections import Counter
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.utils import translation

from jishiyu.tickets.catalogue import NAMES_EN, catalogue_rows
from jishiyu.tickets.forms import FieldReportForm, TicketCreateForm, category_choices
from jishiyu.tickets.forms_settings import TimeLimitForm
from jishiyu.tickets.models import Category, Ticket

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _labels(choices: Any) -> dict[str, str]:
    """value → label of grouped choices."""
    flat: dict[str, str] = {}
    for value, label in choices:
        if isinstance(label, list | tuple):
            flat.update((str(v), str(lab)) for v, lab in label)
        else:
            flat[str(value)] = str(label)
    return flat


def test_no_two_active_categories_share_a_name() -> None:
    names = Counter(Category.objects.filter(active=True).values_list("name", flat=True))
    assert [name for name, n in names.items() if n > 1] == []
    assert Category.objects.get(code="C03").name == "市容环境设施"
    assert Category.objects.get(code="E01").name == "市容环境"


def test_every_shipped_category_has_its_english_name() -> None:
    rows = catalogue_rows()
    assert {r["code"] for r in rows} == set(NAMES_EN)
    stored = dict(Category.objects.filter(version="2025.1").values_list("code", "name_en"))
    assert stored == {r["code"]: r["name_en"] for r in rows}
    assert (stored["C0301"], stored["C0302"]) == ("Public toilets", "Litter bins")
    assert len(set(NAMES_EN.values())) == len(NAMES_EN)


def test_the_data_migration_renames_an_old_c03_and_fills_missing_english_names() -> None:
    Category.objects.filter(code="C03").update(name="市容环境", name_en="")
    Category.objects.filter(code="C0105").update(name_en="")
    Category.objects.filter(code="C0104").update(name_en="Hydrants (the district's own)")
    forwards = importlib.import_module("jishiyu.tickets.migrations.0006_category_name_en").forwards
    forwards(django_apps, connection.schema_editor())
    c03, lights, hydrants = (Category.objects.get(code=code) for code in ("C03", "C0105", "C0104"))
    assert (c03.name, c03.name_en) == ("市容环境设施", "Street amenities")
    assert lights.name_en == "Street lights"
    assert hydrants.name_en == "Hydrants (the district's own)"  # a name the district wrote stays


def test_the_display_name_follows_the_language_and_falls_back_to_the_chinese_name() -> None:
    toilets = Category.objects.get(code="C0301")
    unnamed = Category.objects.create(code="X01", name="自定义", domain="social")
    with translation.override("en"):
        assert (toilets.display_name, str(toilets), unnamed.display_name) == (
            "Public toilets",
            "Public toilets",
            "自定义",
        )
    with translation.override("zh-hans"):
        assert (toilets.display_name, str(toilets)) == ("公共厕所", "公共厕所")


@pytest.mark.parametrize("form_class", [TicketCreateForm, FieldReportForm])
def test_the_form_choices_are_in_the_users_language(form_class: Any) -> None:
    toilets = Category.objects.get(code="C0301")
    with translation.override("en"):
        english = _labels(form_class().fields["category"].choices)
        html = str(form_class()["category"])
    with translation.override("zh-hans"):
        chinese = _labels(form_class().fields["category"].choices)
    assert english[str(toilets.pk)] == "Public toilets" and chinese[str(toilets.pk)] == "公共厕所"
    assert '<optgroup label="Street amenities">' in html


def test_the_grouped_choices_hold_each_active_leaf_under_its_parent() -> None:
    with translation.override("zh-hans"):
        choices = category_choices()
    assert choices[0] == ("", "—")
    groups = {label: [int(value) for value, _ in options] for label, options in choices[1:]}
    tops = Category.objects.filter(active=True, parent__isnull=True)
    assert set(groups) == {c.name for c in tops}
    for top in tops:
        leaves = list(top.children.filter(active=True).order_by("sort", "code").values_list("pk", flat=True))
        assert groups[top.name] == [top.pk, *leaves]
    leaf_count = Category.objects.filter(active=True, parent__isnull=False).count()
    assert sum(len(options) for options in groups.values()) == tops.count() + leaf_count


def test_an_inactive_leaf_is_not_offered() -> None:
    Category.objects.filter(code="C0302").update(active=False)
    bins = Category.objects.get(code="C0302")
    assert str(bins.pk) not in _labels(category_choices())


def test_the_time_limit_form_groups_every_category_in_the_users_language() -> None:
    with translation.override("en"):
        html = str(TimeLimitForm()["category"])
    assert re.search(r'<optgroup label="C03 Street amenities \(2025.1\)">.*C0301 Public toilets', html, re.S)


def test_the_ticket_list_and_detail_show_the_english_name_in_english(
    client: Any, personas: Any, ticket: Ticket
) -> None:
    client.force_login(personas["community_worker"])
    assert ticket.category is not None and ticket.category.code == "C0105"
    detail = client.get(f"/tickets/{ticket.pk}/", **EN).content.decode()
    listing = client.get("/tickets/?queue=all", **EN).content.decode()
    assert "Street lights" in detail and "Street lights" in listing
    assert "路灯" not in listing.split("<tbody", 1)[1]


def test_the_ticket_list_and_detail_show_the_chinese_name_in_chinese(
    client: Any, personas: Any, ticket: Ticket
) -> None:
    client.force_login(personas["community_worker"])
    detail = client.get(f"/tickets/{ticket.pk}/", **ZH).content.decode()
    listing = client.get("/tickets/?queue=all", **ZH).content.decode()
    assert "路灯" in detail and "路灯" in listing
    assert "Street lights" not in detail and "Street lights" not in listing


def test_the_resident_sees_the_category_in_the_pages_language(client: Any, personas: Any, ticket: Ticket) -> None:
    client.force_login(personas["resident"])
    assert "Street lights" in client.get(f"/tickets/mine/{ticket.pk}/", **EN).content.decode()
    assert "路灯" in client.get(f"/tickets/mine/{ticket.pk}/", **ZH).content.decode()


def test_the_resident_request_form_page_is_grouped_and_in_english(client: Any, personas: Any) -> None:
    client.force_login(personas["resident"])
    page = client.get("/tickets/new/", **EN).content.decode()
    assert '<optgroup label="Street amenities">' in page and "Litter bins" in page


def test_the_routing_rules_page_groups_the_categories_in_english(client: Any, personas: Any) -> None:
    client.force_login(personas["district_admin"])
    page = client.get("/tickets/routing/rules/", **EN).content.decode()
    assert re.search(r'<optgroup label="C03 Street amenities">.*C0302 Litter bins</option>', page, re.S)


def test_the_api_returns_both_names(client: Any, personas: Any, ticket: Ticket) -> None:
    client.force_login(personas["resident"])
    catalogue = {c["code"]: c for c in client.get("/api/v1/tickets/categories").json()}
    assert (catalogue["C0302"]["name"], catalogue["C0302"]["name_en"]) == ("垃圾箱", "Litter bins")
    one = client.get(f"/api/v1/tickets/{ticket.pk}").json()
    assert (one["category"]["name"], one["category"]["name_en"]) == ("路灯", "Street lights")


def test_the_figures_label_categories_in_the_callers_language(client: Any, personas: Any, ticket: Ticket) -> None:
    client.force_login(personas["district_admin"])
    english = client.get("/api/v1/tickets/figures", **EN).json()
    chinese = client.get("/api/v1/tickets/figures", **ZH).json()
    assert "Street lights" in [v["label"] for v in english["volumes"]["category"]]
    assert "路灯" in [v["label"] for v in chinese["volumes"]["category"]]
