"""Coverage in the web app: catalogue, facilities, background runs, shares, siting, near-me, scope."""

from __future__ import annotations

import pytest

from jishiyu.circles.catalogue import load_catalogue
from jishiyu.circles.generate import grid_network
from jishiyu.circles.models import BuildingCoverage, Category, Circle, CoverageRun, Facility
from jishiyu.circles.services import coverage_queue, network_store
from jishiyu.people.models import Person, Residence
from jishiyu.regions.models import Building, Dwelling

pytestmark = pytest.mark.django_db

LON0, LAT0 = 118.77, 31.99


@pytest.fixture()
def city(tree, personas):
    """A 20×20 street grid (80 m) over the district; a building in 翠竹园 and one in 新林, 3 and 2 residents."""
    load_catalogue(Circle, Category)  # transactional tests flush the migration's rows
    graph = grid_network(20, 20, spacing=80.0, lon0=LON0, lat0=LAT0, seed=3, drop=0.0, diagonals=0.0)
    network_store(region=tree.district, graph=graph, name="test")
    near = Building.objects.create(
        community=tree.community, region=tree.grid, number="1", lon=float(graph.lon[0]), lat=float(graph.lat[0])
    )
    far = Building.objects.create(
        community=tree.other_community,
        region=tree.other_community,
        number="9",
        lon=float(graph.lon[399]),
        lat=float(graph.lat[399]),
    )
    for building, count in ((near, 3), (far, 2)):
        dwelling = Dwelling.objects.create(building=building, region=building.region, number="101")
        for i in range(count):
            person = Person.objects.create(name=f"居民{i}", region=building.region)
            if building is near and i == 0:
                person.user = personas["resident"]
                person.save()
            Residence.objects.create(person=person, dwelling=dwelling)
    shop = Category.objects.get(code="convenience_shop")
    Facility.objects.create(
        category=shop, region=tree.community, name="便利店", lon=float(graph.lon[1]), lat=float(graph.lat[1])
    )
    run = coverage_queue(region=tree.district)
    return {"graph": graph, "near": near, "far": far, "run": run}


def test_the_catalogue_ships_three_circles_with_their_categories():
    assert list(Circle.objects.values_list("code", flat=True)) == ["commerce5", "culture10", "health15"]
    assert Category.objects.get(code="clinic").circle.code == "health15"
    assert Category.objects.count() >= 20


def test_a_coverage_run_finishes_and_weights_buildings_by_residents(city):
    run = CoverageRun.objects.get(pk=city["run"].pk)
    assert run.status == CoverageRun.Status.DONE and run.progress == 100
    near = BuildingCoverage.objects.get(run=run, building=city["near"], category__code="convenience_shop")
    far = BuildingCoverage.objects.get(run=run, building=city["far"], category__code="convenience_shop")
    assert (near.people, near.covered) == (3, True)
    assert near.metres == pytest.approx(city["graph"].distances_from([1])[0], abs=0.1)
    assert (far.people, far.covered, far.metres) == (2, False, None)


def test_coverage_shares_per_community_are_scoped(client, personas, city, tree):
    client.force_login(personas["district_admin"])
    body = client.get("/api/v1/circles/coverage").json()
    shares = {c["name"]: c["categories"]["convenience_shop"] for c in body["communities"]}
    assert shares == {"翠竹园社区": 1.0, "新林社区": 0.0}
    client.force_login(personas["other_community_worker"])
    body = client.get(f"/api/v1/circles/coverage?region={tree.other_community.pk}").json()
    assert [c["name"] for c in body["communities"]] == ["新林社区"]
    assert client.get(f"/api/v1/circles/coverage?region={tree.community.pk}").status_code == 404


def test_an_outsider_sees_no_coverage(client, personas, city):
    client.force_login(personas["outsider"])
    assert client.get("/api/v1/circles/coverage").status_code == 404
    assert client.get("/api/v1/circles/facilities").json()["items"] == []


def test_adding_a_facility_recomputes_coverage(client, personas, city, tree, django_capture_on_commit_callbacks):
    graph = city["graph"]
    client.force_login(personas["district_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/circles/facilities",
            {
                "region_id": tree.other_community.pk,
                "category": "convenience_shop",
                "name": "新店",
                "lon": float(graph.lon[398]),
                "lat": float(graph.lat[398]),
            },
            content_type="application/json",
        )
    assert response.status_code == 201
    run = CoverageRun.objects.filter(status="done").latest("pk")
    assert BuildingCoverage.objects.get(run=run, building=city["far"], category__code="convenience_shop").covered


def test_an_unknown_category_is_refused_naming_the_field(client, personas, city, tree):
    client.force_login(personas["district_admin"])
    response = client.post(
        "/api/v1/circles/facilities",
        {"region_id": tree.community.pk, "category": "casino", "name": "x", "lon": LON0, "lat": LAT0},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "category" in str(response.json())


def test_a_facility_far_off_the_network_is_refused(client, personas, city, tree):
    client.force_login(personas["district_admin"])
    response = client.post(
        "/api/v1/circles/facilities",
        {"region_id": tree.community.pk, "category": "clinic", "name": "远", "lon": LON0 + 0.2, "lat": LAT0},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Facility.objects.filter(name="远").count() == 0


def test_another_communitys_worker_cannot_change_a_facility(client, personas, city):
    client.force_login(personas["other_community_worker"])
    facility = Facility.objects.get(name="便利店")
    assert (
        client.patch(
            f"/api/v1/circles/facilities/{facility.pk}", {"name": "改"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.delete(f"/api/v1/circles/facilities/{facility.pk}").status_code == 404


def test_a_csv_import_names_the_bad_row_and_writes_nothing(personas, city, tree):
    from jishiyu.circles.services import facility_import
    from jishiyu.core.errors import ValidationFailed

    content = "category,name,lon,lat\nclinic,诊所,118.771,31.991\ncasino,赌场,118.771,31.991\n".encode()
    with pytest.raises(ValidationFailed) as caught:
        facility_import(
            actor=personas["district_admin"], region_id=tree.community.pk, filename="f.csv", content=content
        )
    assert "Row 3" in str(caught.value.errors) or "第 3 行" in str(caught.value.errors)
    assert not Facility.objects.filter(name="诊所").exists()


def test_sites_suggest_where_uncovered_residents_live(client, personas, city):
    client.force_login(personas["district_admin"])
    sites = client.get("/api/v1/circles/sites?category=convenience_shop&k=3").json()
    assert sites[0]["gain"] == 2
    assert sites[0]["lon"] == pytest.approx(city["graph"].lon[399], abs=0.005)


def test_a_resident_sees_what_is_near_their_home(client, personas, city):
    client.force_login(personas["resident"])
    body = client.get("/api/v1/circles/near-me").json()
    commerce = next(c for c in body["circles"] if c["code"] == "commerce5")
    shop = next(i for i in commerce["categories"] if i["code"] == "convenience_shop")
    assert shop["covered"] and shop["facility"] == "便利店"


def test_a_resident_reaches_what_is_near_me_from_the_portal_and_keeps_its_bottom_bar(client, personas, city):
    client.force_login(personas["resident"])
    assert 'href="/m/circles/"' in client.get("/").content.decode()
    assert 'href="/circles/me/"' in client.get("/m/circles/").content.decode()
    page = client.get("/circles/me/").content.decode()
    assert "便利店" in page
    assert 'class="bottombar"' in page and 'href="/m/circles/"' in page


def test_staff_see_near_me_without_the_residents_bottom_bar(client, personas, city):
    client.force_login(personas["community_worker"])
    response = client.get("/circles/me/")
    assert response.status_code == 200
    assert 'class="bottombar"' not in response.content.decode()


def test_someone_without_a_home_gets_no_near_me(client, personas, city):
    client.force_login(personas["outsider"])
    assert client.get("/api/v1/circles/near-me").status_code == 404


def test_run_progress_is_visible_only_in_scope(client, personas, city):
    client.force_login(personas["district_admin"])
    assert client.get(f"/api/v1/circles/runs/{city['run'].pk}").json()["progress"] == 100
    client.force_login(personas["other_community_worker"])
    assert client.get(f"/api/v1/circles/runs/{city['run'].pk}").status_code == 404


def test_figures_give_a_share_per_circle(client, personas, city):
    client.force_login(personas["district_admin"])
    body = client.get("/api/v1/circles/figures").json()
    assert [c["code"] for c in body["circles"]] == ["commerce5", "culture10", "health15"]
    assert 0 < body["circles"][0]["share"] < 1


def test_the_map_page_lists_shares_and_a_suggested_site(client, personas, city):
    client.force_login(personas["district_admin"])
    page = client.get("/circles/?circle=commerce5&category=convenience_shop").content.decode()
    assert "circles-shares" in page and "翠竹园社区" in page
    assert '"sites": [{"rank": 1' in page


def test_the_map_page_is_not_found_for_an_outsider(client, personas, city):
    client.force_login(personas["outsider"])
    assert client.get("/circles/").status_code == 404


def test_recompute_answers_a_progress_fragment(client, personas, city, tree):
    client.force_login(personas["community_worker"])
    response = client.post("/circles/runs/", {"region": tree.community.pk})
    assert response.status_code == 200 and "<progress" in response.content.decode()
    client.force_login(personas["other_community_worker"])
    assert client.post("/circles/runs/", {"region": tree.community.pk}).status_code == 404


def test_the_near_me_page_shows_each_circle(client, personas, city):
    client.force_login(personas["resident"])
    page = client.get("/circles/me/").content.decode()
    assert "便利店" in page and page.count("circles-card") >= 3
