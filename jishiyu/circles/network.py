"""Walking network analysis (步行网络分析), independent of Django: graph, snapping, coverage, siting.

A network is an undirected graph in scipy's CSR form with edge lengths in metres. Points (residences,
facilities) are joined to their nearest node on projected coordinates; the distance between two points is
the shortest network distance between their nodes. Coverage runs one multi-source Dijkstra per category
(all its facilities as sources, ``min_only``); siting is greedy maximal coverage on a sparse
demand × candidate reachability matrix built tile by tile on small subgraphs (exact: a path of network
length L never leaves the disc of radius L / r around its start, r the smallest length / straight-line
ratio of any edge).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

EARTH_RADIUS = 6_371_008.8  # metres, mean radius
DEFAULT_THRESHOLDS = (300, 500, 1000)  # GB 50180-2018 walking distances of the 5/10/15-minute circles

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class NetworkError(ValueError):
    """A network or point set that cannot be analysed (网络数据错误)."""


def project(lon: FloatArray, lat: FloatArray, lon0: float, lat0: float) -> tuple[FloatArray, FloatArray]:
    """Local equirectangular projection (局部投影) in metres around (lon0, lat0)."""
    k = math.pi / 180.0
    x = (np.asarray(lon, dtype=np.float64) - lon0) * k * EARTH_RADIUS * math.cos(lat0 * k)
    y = (np.asarray(lat, dtype=np.float64) - lat0) * k * EARTH_RADIUS
    return x, y


def haversine(lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray) -> FloatArray:
    """Great-circle distance (球面距离) in metres."""
    k = math.pi / 180.0
    p1, p2 = np.asarray(lat1) * k, np.asarray(lat2) * k
    dp, dl = p2 - p1, (np.asarray(lon2) - np.asarray(lon1)) * k
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), dtype=np.float64)


@dataclass
class Network:
    """An undirected walking network (步行网络): node coordinates and a symmetric CSR length matrix."""

    node_ids: IntArray
    lon: FloatArray
    lat: FloatArray
    matrix: sparse.csr_matrix
    x: FloatArray = field(init=False)
    y: FloatArray = field(init=False)
    lon0: float = field(init=False)
    lat0: float = field(init=False)
    _tree: cKDTree | None = field(init=False, default=None, repr=False)
    _ratio: float | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self.lon0 = float(np.mean(self.lon)) if len(self.lon) else 0.0
        self.lat0 = float(np.mean(self.lat)) if len(self.lat) else 0.0
        self.x, self.y = project(self.lon, self.lat, self.lon0, self.lat0)

    @property
    def n(self) -> int:
        return int(self.matrix.shape[0])

    @property
    def edge_count(self) -> int:
        return int(self.matrix.nnz // 2)

    @property
    def tree(self) -> cKDTree:
        if self._tree is None:
            self._tree = cKDTree(np.column_stack([self.x, self.y]))
        return self._tree

    def snap(self, lon: Sequence[float] | FloatArray, lat: Sequence[float] | FloatArray) -> tuple[IntArray, FloatArray]:
        """Nearest node (最近节点) of each point and the straight distance to it in metres."""
        if self.n == 0:
            raise NetworkError("the network has no nodes")
        px, py = project(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64), self.lon0, self.lat0)
        dist, idx = self.tree.query(np.column_stack([px, py]))
        return np.asarray(idx, dtype=np.int64), np.asarray(dist, dtype=np.float64)

    def length_ratio(self) -> float:
        """Smallest ratio of an edge's length to the straight distance between its ends (≤ 1 normally)."""
        if self._ratio is None:
            coo = self.matrix.tocoo()
            straight = np.hypot(self.x[coo.row] - self.x[coo.col], self.y[coo.row] - self.y[coo.col])
            mask = straight > 1e-9
            self._ratio = float(np.min(coo.data[mask] / straight[mask])) if mask.any() else 1.0
        return self._ratio

    def distances_from(self, sources: Sequence[int] | IntArray, limit: float = np.inf) -> FloatArray:
        """Network distance from the nearest of ``sources`` to every node (inf beyond ``limit`` or unreachable)."""
        src = np.unique(np.asarray(sources, dtype=np.int64))
        if len(src) == 0:
            return np.full(self.n, np.inf)
        dist = csgraph.dijkstra(self.matrix, directed=True, indices=src, min_only=True, limit=limit)
        return np.asarray(dist, dtype=np.float64)


def build_network(
    u: Sequence[int] | IntArray,
    v: Sequence[int] | IntArray,
    length: Sequence[float] | FloatArray,
    node_ids: Sequence[int] | IntArray,
    lon: Sequence[float] | FloatArray,
    lat: Sequence[float] | FloatArray,
) -> Network:
    """Network from an edge list keyed by node ids (any integers); parallel edges keep the shortest."""
    ids = np.asarray(node_ids, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    if len(sorted_ids) > 1 and np.any(sorted_ids[1:] == sorted_ids[:-1]):
        raise NetworkError("duplicate node ids")
    ua, va = np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64)
    w = np.asarray(length, dtype=np.float64)
    if not (len(ua) == len(va) == len(w)):
        raise NetworkError("edge arrays differ in length")
    pos_u = np.searchsorted(sorted_ids, ua)
    pos_v = np.searchsorted(sorted_ids, va)
    pos_u = np.clip(pos_u, 0, max(len(ids) - 1, 0))
    pos_v = np.clip(pos_v, 0, max(len(ids) - 1, 0))
    known = (sorted_ids[pos_u] == ua) & (sorted_ids[pos_v] == va) if len(ids) else np.zeros(len(ua), bool)
    keep = known & np.isfinite(w) & (w >= 0) & (ua != va)
    iu, iv, w = order[pos_u[keep]], order[pos_v[keep]], w[keep]
    # Explicit zeros are dropped by sparse arithmetic: a zero-length edge becomes the smallest positive float.
    w = np.maximum(w, np.finfo(np.float64).tiny)
    n = len(ids)
    return Network(
        node_ids=ids,
        lon=np.asarray(lon, dtype=np.float64),
        lat=np.asarray(lat, dtype=np.float64),
        matrix=_symmetric_min(iu, iv, w, n),
    )


def _symmetric_min(iu: IntArray, iv: IntArray, w: FloatArray, n: int) -> sparse.csr_matrix:
    """Symmetric CSR matrix keeping the minimum weight of parallel edges."""
    rows = np.concatenate([iu, iv])
    cols = np.concatenate([iv, iu])
    data = np.concatenate([w, w])
    if len(rows) == 0:
        return sparse.csr_matrix((n, n), dtype=np.float64)
    key = rows * np.int64(n) + cols
    order = np.lexsort((data, key))
    key, data = key[order], data[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key, data = key[first], data[first]
    return sparse.csr_matrix((data, (key // n, key % n)), shape=(n, n))


# ---------------------------------------------------------------------------------------------- coverage


@dataclass
class CategoryCoverage:
    """Coverage of one category (类别覆盖): distance per residence and people covered per threshold."""

    category: str
    metres: FloatArray  # per residence; inf when no path
    people: int
    covered: dict[float, int]  # threshold metres → people within it


def coverage(
    network: Network,
    residence_nodes: IntArray,
    people: IntArray,
    facility_nodes: dict[str, IntArray],
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    limit: float = np.inf,
) -> dict[str, CategoryCoverage]:
    """Walking distance from every residence to the nearest facility of each category, and people covered."""
    residence_nodes = np.asarray(residence_nodes, dtype=np.int64)
    people = np.asarray(people, dtype=np.int64)
    total = int(people.sum())
    result: dict[str, CategoryCoverage] = {}
    for category, nodes in facility_nodes.items():
        dist = network.distances_from(nodes, limit=limit)
        metres = dist[residence_nodes]
        covered = {float(t): int(people[metres <= t].sum()) for t in thresholds}
        result[category] = CategoryCoverage(category=category, metres=metres, people=total, covered=covered)
    return result


# ------------------------------------------------------------------------------------------------ siting


@dataclass
class Site:
    """A suggested site (建议选址): a network node and the people it would newly cover."""

    node: int
    lon: float
    lat: float
    gain: int


def reach_matrix(
    network: Network, demand_nodes: IntArray, radius: float, tile: float | None = None
) -> sparse.csr_matrix:
    """Boolean matrix demand × node: True where the node lies within ``radius`` metres of walk of the demand node.

    Computed tile by tile on the subgraph of nodes that a walk of ``radius`` can reach at all (a disc of
    radius / length_ratio around the tile), so each Dijkstra row is short.
    """
    demand_nodes = np.asarray(demand_nodes, dtype=np.int64)
    n = network.n
    if len(demand_nodes) == 0:
        return sparse.csr_matrix((0, n), dtype=bool)
    ratio = network.length_ratio()
    if ratio <= 1e-6:
        reach = csgraph.dijkstra(network.matrix, directed=True, indices=demand_nodes, limit=radius)
        return sparse.csr_matrix(np.isfinite(reach))
    margin = radius / ratio * (1 + 1e-9) + 1e-6
    tile = tile or max(3 * margin, 1000.0)  # measured: fewer, larger tiles beat per-tile slicing overhead
    dx, dy = network.x[demand_nodes], network.y[demand_nodes]
    tx = np.floor((dx - dx.min()) / tile).astype(np.int64)
    ty = np.floor((dy - dy.min()) / tile).astype(np.int64)
    tkey = tx * (int(ty.max()) + 1) + ty
    order = np.argsort(tkey, kind="stable")
    bounds = np.flatnonzero(np.diff(tkey[order])) + 1
    rows_out: list[IntArray] = []
    cols_out: list[IntArray] = []
    tree = network.tree
    for group in np.split(order, bounds):
        gx, gy = dx[group], dy[group]
        cx, cy = (gx.min() + gx.max()) / 2, (gy.min() + gy.max()) / 2
        half_diag = math.hypot(gx.max() - gx.min(), gy.max() - gy.min()) / 2
        sub = np.asarray(tree.query_ball_point([cx, cy], half_diag + margin), dtype=np.int64)
        sub.sort()
        submatrix = network.matrix[sub][:, sub]
        local = np.searchsorted(sub, demand_nodes[group])
        reach = csgraph.dijkstra(submatrix, directed=True, indices=local, limit=radius)
        r, c = np.nonzero(reach <= radius)
        rows_out.append(group[r])
        cols_out.append(sub[c])
    rows = np.concatenate(rows_out)
    cols = np.concatenate(cols_out)
    return sparse.csr_matrix((np.ones(len(rows), dtype=bool), (rows, cols)), shape=(len(demand_nodes), n))


def greedy_sites(
    network: Network,
    residence_nodes: IntArray,
    people: IntArray,
    covered: npt.NDArray[np.bool_],
    radius: float,
    k: int,
    candidates: IntArray | None = None,
) -> list[Site]:
    """Greedy maximal coverage (贪心最大覆盖): k nodes, each covering the most people not yet covered.

    Ties go to the lowest node index. Stops early when no candidate would cover anyone more.
    """
    residence_nodes = np.asarray(residence_nodes, dtype=np.int64)
    weights = np.asarray(people, dtype=np.int64) * ~np.asarray(covered, dtype=bool)
    open_nodes, inverse = np.unique(residence_nodes[weights > 0], return_inverse=True)
    demand = np.bincount(inverse, weights=weights[weights > 0], minlength=len(open_nodes)).astype(np.int64)
    if len(open_nodes) == 0 or k <= 0:
        return []
    reach = reach_matrix(network, open_nodes, radius)  # demand × node
    reach_t = reach.T.tocsr().astype(np.int64)  # node × demand
    allowed = np.zeros(network.n, dtype=bool)
    if candidates is None:
        allowed[:] = True
    else:
        allowed[np.asarray(candidates, dtype=np.int64)] = True
    gains = np.asarray(reach_t @ demand).ravel()
    gains[~allowed] = -1
    remaining = demand.copy()
    sites: list[Site] = []
    for _ in range(k):
        best = int(np.argmax(gains))
        gain = int(gains[best])
        if gain <= 0:
            break
        sites.append(Site(node=best, lon=float(network.lon[best]), lat=float(network.lat[best]), gain=gain))
        newly = reach_t.indices[reach_t.indptr[best] : reach_t.indptr[best + 1]]
        newly = newly[remaining[newly] > 0]
        lost = np.zeros(len(remaining), dtype=np.int64)
        lost[newly] = remaining[newly]
        remaining[newly] = 0
        # every node reaching a newly covered demand node loses that demand's weight
        gains -= np.asarray(reach_t @ lost).ravel()
        gains[~allowed] = -1
    return sites
