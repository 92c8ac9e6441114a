"""Staff pages and back office of the circles app: the catalogue (district) and facilities (by scope)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from conftest import make_user
from jishiyu.circles.catalogue import load_catalogue
from jishiyu.circles.models import Category, Circle, Facility
from jishiyu.circles.services import catalogue_tag_map, category_update
from jishiyu.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture()
def catalogue():
    load_catalogue(Circle, Category)
    return Category.objects.get(code="convenience_shop")


@pytest.fixture()
def shop(tree, catalogue):
    return Facility.objects.create(category=catalogue, region=tree.community, name="翠竹便利店", lon=118.77, lat=31.99)


def _staff(user):
    user.is_staff = True
    user.save()
    return user


# ---------------------------------------------------------------------------------------- catalogue


def test_the_shipped_catalogue_carries_the_osm_tags_of_each_category(catalogue):
    assert "shop=convenience" in catalogue.osm_tags.splitlines()
    assert catalogue_tag_map()["tags"]["shop"]["convenience"] == "convenience_shop"


def test_the_district_admin_sees_the_catalogue_page(client, personas, catalogue):
    client.force_login(personas["district_admin"])
    response = client.get("/circles/catalogue/")
    assert response.status_code == 200
    assert catalogue.name in response.content.decode()


@pytest.mark.parametrize("persona", ["community_worker", "street_official", "outsider"])
def test_only_the_district_may_open_the_catalogue_page(client, personas, catalogue, persona):
    client.force_login(personas[persona])
    assert client.get("/circles/catalogue/").status_code == 403
    assert client.get(f"/circles/catalogue/{catalogue.pk}/").status_code == 403


def test_the_district_admin_renames_a_category_moves_it_and_changes_its_tags(client, personas, catalogue):
    health = Circle.objects.get(code="health15")
    client.force_login(personas["district_admin"])
    response = client.post(
        f"/circles/catalogue/{catalogue.pk}/",
        {"name": "便民店", "circle": health.pk, "osm_tags": "shop=convenience\nshop=kiosk", "active": ""},
    )
    assert response.status_code == 302
    catalogue.refresh_from_db()
    assert (catalogue.name, catalogue.circle, catalogue.active) == ("便民店", health, False)
    assert catalogue.osm_tags == "shop=convenience\nshop=kiosk"


def test_a_community_worker_cannot_post_to_the_catalogue(client, personas, catalogue):
    client.force_login(personas["community_worker"])
    response = client.post(
        f"/circles/catalogue/{catalogue.pk}/", {"name": "x", "circle": catalogue.circle_id, "active": "on"}
    )
    assert response.status_code == 403
    catalogue.refresh_from_db()
    assert catalogue.name != "x"


def test_a_malformed_osm_tag_is_refused_naming_the_field(client, personas, catalogue):
    client.force_login(personas["district_admin"])
    response = client.post(
        f"/circles/catalogue/{catalogue.pk}/",
        {"name": "便利店", "circle": catalogue.circle_id, "osm_tags": "shop", "active": "on"},
    )
    assert response.status_code == 200
    assert "osm_tags" in response.context["form"].errors


def test_the_category_service_refuses_an_actor_without_the_catalogue_permission(personas, catalogue):
    with pytest.raises(PermissionDenied):
        category_update(
            actor=personas["street_official"], category_id=catalogue.pk, name="x", circle_id=catalogue.circle_id
        )


def test_the_category_service_needs_a_circle(personas, catalogue):
    with pytest.raises(ValidationFailed) as info:
        category_update(actor=personas["district_admin"], category_id=catalogue.pk, name="x", circle_id="")
    assert "circle" in info.value.errors


def test_the_district_admin_edits_categories_in_the_back_office(client, personas, catalogue):
    client.force_login(_staff(personas["district_admin"]))
    assert client.get("/admin/circles/category/").status_code == 200
    assert client.get(f"/admin/circles/category/{catalogue.pk}/change/").status_code == 200


@pytest.mark.parametrize("persona", ["community_worker", "outsider"])
def test_others_cannot_open_the_catalogue_in_the_back_office(client, personas, catalogue, persona):
    client.force_login(_staff(personas[persona]))
    assert client.get("/admin/circles/category/").status_code == 403
    assert client.get("/admin/circles/circle/").status_code == 403


def test_the_back_office_lists_only_facilities_in_scope(client, personas, shop):
    client.force_login(_staff(personas["community_worker"]))
    assert client.get(f"/admin/circles/facility/{shop.pk}/change/").status_code == 200
    client.force_login(_staff(personas["other_community_worker"]))
    response = client.get(f"/admin/circles/facility/{shop.pk}/change/")
    assert response.status_code == 302  # the admin's "does not exist" redirect, as for a missing record
    assert shop.name not in client.get("/admin/circles/facility/").content.decode()


# --------------------------------------------------------------------------------------- facilities


def test_the_facility_list_shows_facilities_in_scope(client, personas, shop, django_assert_max_num_queries):
    client.force_login(personas["community_worker"])
    with django_assert_max_num_queries(15):
        response = client.get("/circles/facilities/")
    assert response.status_code == 200
    assert shop.name in response.content.decode()


def test_another_community_does_not_see_the_facility(client, personas, shop, tree):
    client.force_login(personas["other_community_worker"])
    assert shop.name not in client.get("/circles/facilities/").content.decode()
    assert client.get(f"/circles/facilities/?region={tree.community.pk}").status_code == 404
    assert client.get(f"/circles/facilities/{shop.pk}/").status_code == 404


def test_an_outsider_gets_404_on_the_facility_pages(client, personas, shop):
    client.force_login(personas["outsider"])
    assert client.get("/circles/facilities/").status_code == 404
    assert client.get(f"/circles/facilities/{shop.pk}/").status_code == 404


def test_a_community_worker_adds_a_facility(client, personas, tree, catalogue):
    client.force_login(personas["community_worker"])
    response = client.post(
        "/circles/facilities/",
        {
            "region": tree.community.pk,
            "category": "convenience_shop",
            "name": "新店",
            "lon": "118.771",
            "lat": "31.991",
        },
    )
    assert response.status_code == 302
    assert Facility.objects.get(name="新店").region == tree.community


def test_a_facility_outside_scope_cannot_be_added(client, personas, tree, catalogue):
    client.force_login(personas["community_worker"])
    response = client.post(
        "/circles/facilities/",
        {"region": tree.other_community.pk, "category": "convenience_shop", "name": "越界", "lon": "118", "lat": "32"},
    )
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not Facility.objects.filter(name="越界").exists()


def test_a_grid_worker_may_view_but_not_add_facilities(client, personas, tree, shop):
    client.force_login(personas["grid_worker"])
    assert client.get("/circles/facilities/").status_code == 200
    response = client.post(
        "/circles/facilities/",
        {"region": tree.community.pk, "category": "convenience_shop", "name": "网格店", "lon": "118", "lat": "32"},
    )
    assert response.status_code == 404
    assert not Facility.objects.filter(name="网格店").exists()


def test_a_community_worker_edits_a_facility(client, personas, shop):
    client.force_login(personas["community_worker"])
    response = client.post(
        f"/circles/facilities/{shop.pk}/",
        {"category": "convenience_shop", "name": "改名店", "lon": "118.772", "lat": "31.992"},
    )
    assert response.status_code == 302
    shop.refresh_from_db()
    assert (shop.name, shop.lon, shop.active) == ("改名店", 118.772, False)


def test_another_community_cannot_edit_the_facility(client, personas, shop):
    client.force_login(personas["other_community_worker"])
    response = client.post(
        f"/circles/facilities/{shop.pk}/", {"category": "convenience_shop", "name": "偷改", "lon": "118", "lat": "32"}
    )
    assert response.status_code == 404
    shop.refresh_from_db()
    assert shop.name == "翠竹便利店"


def test_facilities_gone_from_the_source_wait_for_the_community_to_confirm_them(client, personas, shop, tree):
    from django.utils import timezone

    from jishiyu.core.shells import todos_for

    gone = Facility.objects.create(
        category=shop.category, region=tree.community, name="已拆便利店", lon=118.77, lat=31.99, active=False
    )
    Facility.objects.filter(pk=gone.pk).update(retired_at=timezone.now())
    worker = personas["community_worker"]
    badge = {card.key: int(card.count) for card in todos_for(worker)}
    assert badge["circles_facilities_gone"] == 1
    client.force_login(worker)
    page = client.get("/circles/facilities/?show=gone")
    assert [f.name for f in page.context["facilities"]] == ["已拆便利店"]
    assert "facility-create" not in page.content.decode()  # the queue, not the entry forms
    # the other community counts none of it; a grid worker (who changes no facility) is not asked
    assert {c.key: int(c.count) for c in todos_for(personas["other_community_worker"])}["circles_facilities_gone"] == 0
    assert "circles_facilities_gone" not in {c.key for c in todos_for(personas["grid_worker"])}
    client.force_login(personas["other_community_worker"])
    assert "已拆便利店" not in client.get("/circles/facilities/?show=gone").content.decode()
    # confirming it (saved still switched off) takes it off the list; it stays off
    client.force_login(worker)
    response = client.post(
        f"/circles/facilities/{gone.pk}/",
        {"category": "convenience_shop", "name": "已拆便利店", "lon": "118.77", "lat": "31.99"},
    )
    assert response.status_code == 302
    gone.refresh_from_db()
    assert (gone.active, gone.retired_at) == (False, None)
    assert list(client.get("/circles/facilities/?show=gone").context["facilities"]) == []
    assert {card.key: int(card.count) for card in todos_for(worker)}["circles_facilities_gone"] == 0


def test_a_csv_upload_imports_facilities(client, personas, tree, catalogue):
    client.force_login(personas["community_worker"])
    content = "category,name,lon,lat\nconvenience_shop,甲店,118.77,31.99\nclinic,乙诊所,118.78,31.98\n".encode()
    upload = io.BytesIO(content)
    upload.name = "f.csv"
    response = client.post("/circles/facilities/", {"region": tree.community.pk, "file": upload})
    assert response.status_code == 302
    assert set(Facility.objects.values_list("name", flat=True)) == {"甲店", "乙诊所"}


def test_an_xlsx_upload_with_a_bad_row_names_the_row_and_saves_nothing(client, personas, tree, catalogue):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["category", "name", "lon", "lat"])
    sheet.append(["convenience_shop", "甲店", 118.77, 31.99])
    sheet.append(["no_such_thing", "乙", 118.77, 31.99])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "f.xlsx"
    client.force_login(personas["community_worker"])
    response = client.post("/circles/facilities/", {"region": tree.community.pk, "file": buffer})
    assert response.status_code == 200
    assert any("3" in e for e in response.context["upload"].errors["file"])
    assert not Facility.objects.exists()


# --------------------------------------------------------------------------------------------- audit


def test_a_facility_write_is_audited_under_its_community_with_plain_numbers(tree, catalogue):
    import numpy as np

    from jishiyu.audit.models import AuditEntry

    facility = Facility.objects.create(
        category=catalogue, region=tree.community, name="审计店", lon=np.float64(118.77), lat=np.float64(31.99)
    )
    entry = AuditEntry.objects.get(object_type="circles.facility", object_id=str(facility.pk), action="create")
    assert entry.region_path == tree.community.path
    assert entry.changes["lon"]["after"] == 118.77


def test_a_category_edit_is_audited(personas, catalogue):
    from jishiyu.audit.models import AuditEntry

    category_update(
        actor=personas["district_admin"], category_id=catalogue.pk, name="便民店", circle_id=catalogue.circle_id
    )
    entry = AuditEntry.objects.get(object_type="circles.category", object_id=str(catalogue.pk), action="update")
    assert entry.changes["name"]["after"] == "便民店"


def test_the_coverage_map_links_the_catalogue_only_for_the_district(client, personas, catalogue):
    client.force_login(personas["district_admin"])
    assert "/circles/catalogue/" in client.get("/circles/").content.decode()
    client.force_login(personas["community_worker"])
    page = client.get("/circles/").content.decode()
    assert "/circles/catalogue/" not in page and "/circles/facilities/" in page


def _upload(client, region, name, content):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post("/circles/facilities/", {"region": region.pk, "file": upload})


def _import_entries():
    from jishiyu.audit.models import AuditEntry

    return list(AuditEntry.objects.filter(action="import", object_type="circles.facility").order_by("pk"))


def test_a_file_import_writes_one_audit_entry_with_who_the_file_and_the_counts(client, personas, tree, catalogue):
    client.force_login(personas["community_worker"])
    content = "id,category,name,lon,lat\nA1,convenience_shop,甲店,118.77,31.99\nA2,clinic,乙诊所,118.78,31.98\n"
    assert _upload(client, tree.community, "设施.csv", content.encode()).status_code == 302
    [entry] = _import_entries()
    assert entry.actor == personas["community_worker"]
    assert entry.region_path == tree.community.path
    assert entry.outcome == "ok"
    assert entry.changes["count"] == 2
    details = entry.changes["details"]
    assert details["file"] == "设施.csv"
    assert (details["created"], details["updated"], details["unchanged"], details["rejected"]) == (2, 0, 0, 0)


def test_importing_the_file_again_updates_by_id_instead_of_duplicating(client, personas, tree, catalogue):
    client.force_login(personas["community_worker"])
    first = "id,category,name,lon,lat\nA1,convenience_shop,甲店,118.77,31.99\nA2,clinic,乙诊所,118.78,31.98\n"
    _upload(client, tree.community, "f.csv", first.encode())
    again = "id,category,name,lon,lat\nA1,convenience_shop,甲店,118.77,31.99\nA2,clinic,乙社区诊所,118.78,31.98\n"
    response = _upload(client, tree.community, "f.csv", again.encode())
    assert response.status_code == 302
    assert sorted(Facility.objects.values_list("external_id", "name")) == [("A1", "甲店"), ("A2", "乙社区诊所")]
    details = _import_entries()[-1].changes["details"]
    assert (details["created"], details["updated"], details["unchanged"], details["rejected"]) == (0, 1, 1, 0)
    page = client.get(response["Location"]).content.decode()
    assert "新增 0 个设施，更新 1 个，1 个未变。" in page


def test_a_refused_import_is_audited_as_rejected_and_writes_nothing(client, personas, tree, catalogue):
    client.force_login(personas["community_worker"])
    content = "category,name,lon,lat\nconvenience_shop,甲店,118.77,31.99\ncasino,赌场,118.77,31.99\nclinic,乙,x,\n"
    assert _upload(client, tree.community, "bad.csv", content.encode()).status_code == 200
    assert not Facility.objects.exists()
    [entry] = _import_entries()
    assert entry.outcome == "rejected"
    details = entry.changes["details"]
    assert (details["file"], details["created"], details["updated"], details["rejected"]) == ("bad.csv", 0, 0, 2)


def test_an_import_outside_scope_is_refused_and_not_audited(client, personas, tree, catalogue):
    from jishiyu.circles.services import facility_import
    from jishiyu.core.errors import NotFound

    client.force_login(personas["other_community_worker"])
    content = "category,name,lon,lat\nconvenience_shop,甲店,118.77,31.99\n".encode()
    response = _upload(client, tree.community, "f.csv", content)
    assert response.status_code == 200 and "region" in response.context["upload"].errors
    with pytest.raises(NotFound):
        facility_import(
            actor=personas["other_community_worker"], region_id=tree.community.pk, filename="f.csv", content=content
        )
    assert not Facility.objects.exists()
    assert _import_entries() == []


def test_only_auditors_over_the_community_see_the_import_entry(client, personas, tree, catalogue):
    from jishiyu.audit.selectors import audit_entry_list

    client.force_login(personas["community_worker"])
    _upload(client, tree.community, "f.csv", "category,name,lon,lat\nconvenience_shop,甲店,118.77,31.99\n".encode())
    [entry] = _import_entries()
    here = make_user("13800000021", "街道审计员", "auditor", tree.street)
    elsewhere = make_user("13800000022", "板桥审计员", "auditor", tree.other_street)
    assert entry in audit_entry_list(actor=personas["auditor"])
    assert entry in audit_entry_list(actor=here)
    assert entry not in audit_entry_list(actor=elsewhere)


def test_an_id_given_twice_in_one_file_is_refused_naming_both_rows(personas, tree, catalogue):
    from jishiyu.circles.services import facility_import

    content = "id,category,name,lon,lat\n7,convenience_shop,甲,118.77,31.99\n7,clinic,乙,118.78,31.98\n".encode()
    with pytest.raises(ValidationFailed) as caught:
        facility_import(
            actor=personas["community_worker"], region_id=tree.community.pk, filename="f.csv", content=content
        )
    assert any("7" in m and "3" in m and "2" in m for m in caught.value.errors["file"])
    assert not Facility.objects.exists()


def test_whole_number_ids_from_a_spreadsheet_match_the_earlier_import(personas, tree, catalogue):
    from jishiyu.circles.services import facility_import

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "category", "name", "lon", "lat"])
    sheet.append([17, "convenience_shop", "甲店", 118.77, 31.99])
    buffer = io.BytesIO()
    book.save(buffer)
    worker = personas["community_worker"]
    first = b"id,category,name,lon,lat\n17,convenience_shop,shop,118.77,31.99\n"
    facility_import(actor=worker, region_id=tree.community.pk, filename="a.csv", content=first)
    counts = facility_import(actor=worker, region_id=tree.community.pk, filename="b.xlsx", content=buffer.getvalue())
    assert (counts.created, counts.updated) == (0, 1)
    assert list(Facility.objects.values_list("external_id", "name")) == [("17", "甲店")]
