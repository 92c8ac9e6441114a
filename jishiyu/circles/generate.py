"""Generated street networks (生成路网) for the demo and the benchmark: a jittered grid with gaps and diagonals."""

from __future__ import annotations

import math

import numpy as np

from jishiyu.circles.network import EARTH_RADIUS, Network, build_network, haversine


def grid_network(
    rows: int,
    cols: int,
    *,
    spacing: float = 80.0,
    lon0: float = 118.77,
    lat0: float = 31.99,
    seed: int = 7,
    drop: float = 0.12,
    diagonals: float = 0.05,
) -> Network:
    """A city-like walking network of rows × cols junctions about ``spacing`` metres apart, south-west corner at
    (lon0, lat0). Some blocks lose an edge (culs-de-sac, walls), a few gain a diagonal path; edges bend a little,
    so each length is its straight distance times 1.0–1.15."""
    rng = np.random.default_rng(seed)
    n = rows * cols
    r, c = np.divmod(np.arange(n, dtype=np.int64), cols)
    x = c * spacing + rng.uniform(-0.25, 0.25, n) * spacing
    y = r * spacing + rng.uniform(-0.25, 0.25, n) * spacing
    k = math.pi / 180.0
    lat = lat0 + y / (EARTH_RADIUS * k)
    lon = lon0 + x / (EARTH_RADIUS * k * math.cos(lat0 * k))
    idx = np.arange(n, dtype=np.int64).reshape(rows, cols)
    u = [idx[:, :-1].ravel(), idx[:-1, :].ravel()]
    v = [idx[:, 1:].ravel(), idx[1:, :].ravel()]
    diag_u, diag_v = idx[:-1, :-1].ravel(), idx[1:, 1:].ravel()
    pick = rng.random(len(diag_u)) < diagonals
    u.append(diag_u[pick])
    v.append(diag_v[pick])
    uu, vv = np.concatenate(u), np.concatenate(v)
    keep = rng.random(len(uu)) >= drop
    uu, vv = uu[keep], vv[keep]
    length = haversine(lon[uu], lat[uu], lon[vv], lat[vv]) * rng.uniform(1.0, 1.15, len(uu))
    return build_network(uu, vv, length, np.arange(n), lon, lat)


def random_points(network: Network, count: int, *, seed: int = 11) -> tuple[np.ndarray, np.ndarray]:
    """Points scattered over the network's bounding box (lon, lat)."""
    rng = np.random.default_rng(seed)
    return (
        rng.uniform(network.lon.min(), network.lon.max(), count),
        rng.uniform(network.lat.min(), network.lat.max(), count),
    )
