"""Browser: with no tile server (the default) every map page draws the district from its own data —
outlines, the walking network's streets, community names (screenshots in /tmp/shots/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PASSWORD
from jishiyu.circles.generate import grid_network
from jishiyu.circles.services import network_store
from jishiyu.conftest import DESK, PHONE, sign_in
from jishiyu.regions.tests.mapdata import outline

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")


@pytest.fixture
def district(tree, settings):
    settings.MAP_TILE_URL = ""
    settings.MAP_TILES_PMTILES = ""
    outline(tree)
    network_store(region=tree.district, graph=grid_network(40, 40, spacing=250, lon0=118.70, lat0=31.90), name="路网")
    return tree


def drawn(page, selector):
    """Outlines and streets the map component drew: SVG paths in its own panes, and its own count."""
    page.wait_for_function(
        "s => { const el = document.querySelector(s); return el && +(el.dataset.mapFeatures || 0) > 0 "
        "&& el.querySelectorAll('.leaflet-jm-areas-pane path').length > 0 }",
        arg=selector,
        timeout=15000,
    )
    return page.locator(f"{selector} .leaflet-jm-areas-pane path").count()


@pytest.mark.parametrize(
    ("who", "url", "selector", "size"),
    [
        ("community_worker", "/regions/{community}/", "#regions-map", DESK),
        ("community_worker", "/tickets/map/", "#tk-map", DESK),
        ("district_admin", "/circles/", "#circles-map", DESK),
        ("resident", "/tickets/new/", "#tk-pick-map", PHONE),
    ],
    ids=["region", "ticket-map", "coverage", "place-picker"],
)
def test_a_map_page_draws_outlines_and_streets_without_tiles(
    live_server, new_page, personas, district, who, url, selector, size
):
    page = new_page(size)
    sign_in(page, live_server.url, personas[who].phone, PASSWORD)
    page.goto(live_server.url + url.format(community=district.community.pk))
    assert drawn(page, selector) >= 1
    assert page.locator(f"{selector} .leaflet-tile").count() == 0  # nothing came from a tile server
    # zoomed in on the place (as a user does), the walking network's streets come too
    page.evaluate(
        "s => { const m = document.querySelector(s).jishiyuMap.map; m.setView([31.94, 118.74], 15); }", selector
    )
    page.wait_for_function("s => +(document.querySelector(s).dataset.mapStreets || 0) > 0", arg=selector, timeout=15000)
    assert page.locator(f"{selector} .leaflet-jm-streets-pane path").count() >= 1
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"map-{selector.strip('#')}-{who}.png"), full_page=True)


def test_the_community_worker_sees_their_community_named_and_not_the_other(live_server, new_page, personas, district):
    page = new_page(DESK)
    sign_in(page, live_server.url, personas["community_worker"].phone, PASSWORD)
    page.goto(f"{live_server.url}/tickets/map/")
    drawn(page, "#tk-map")
    page.wait_for_selector("#tk-map .jm-label-community")
    labels = page.locator("#tk-map .jm-label").all_inner_texts()
    assert "翠竹园社区" in labels and "新林社区" not in labels and "凤台社区" not in labels
