"""Walking network analysis (步行网络分析), independent of Django: graph, snapping, coverage, siting.

A network is an undirected graph in scipy's CSR form with edge lengths in metres. Points (residences,
facilities) are joined to their nearest node on projected coordinates; the distance between two points is
the shortest network distance between their nodes. Coverage runs one multi-source Dijkstra per category
(all its facilities as sources, ``min_only``): exact however far. Siting is greedy maximal coverage: each
node's gain is summed from bounded Dijkstras out of the nodes holding uncovered people, run tile by tile on
small subgraphs (exact: a path of network length L never leaves the disc of radius L / r around its start,
r the smallest length / straight-line ratio of any edge), and after each pick only the gains of the nodes
that reach the newly covered people are lowered.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
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


class _Cutter:
    """Induced subgraphs of a network on node subsets, cut in time proportional to the subset's edges."""

    def __init__(self, network: Network) -> None:
        self.matrix = network.matrix
        self.local = np.full(network.n, -1, dtype=np.int64)  # global node → position in the current cut

    def cut(self, nodes: IntArray) -> sparse.csr_matrix:
        m = self.matrix
        self.local[nodes] = np.arange(len(nodes))
        starts = m.indptr[nodes]
        counts = m.indptr[nodes + 1] - starts
        offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
        entries = offsets + np.arange(int(counts.sum()))
        cols = self.local[m.indices[entries]]
        keep = cols >= 0
        rows = np.repeat(np.arange(len(nodes)), counts)[keep]
        self.local[nodes] = -1
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(nodes)))])
        return sparse.csr_matrix((m.data[entries[keep]], cols[keep], indptr), shape=(len(nodes), len(nodes)))


MAX_CELLS = 1 << 23  # bound on a dense rows × subgraph block of distances (64 MiB)


def _chunks(rows: IntArray, width: int) -> list[IntArray]:
    per_call = max(1, MAX_CELLS // max(width, 1))
    return np.array_split(rows, -(-len(rows) // per_call))


def walk_tiles(
    network: Network, sources: IntArray, radius: float, tile: float | None = None
) -> Iterator[tuple[IntArray, IntArray, FloatArray]]:
    """Bounded Dijkstra (有界最短路) from every source, tile by tile on small subgraphs.

    Yields ``(rows, nodes, dist)``: positions in ``sources``, the subgraph's nodes (global ids) and the
    distances rows × nodes (inf beyond ``radius``). A node missing from ``nodes`` lies beyond ``radius`` of
    every row: a walk of length L never leaves the disc of radius L / r around its start (r the network's
    length ratio), and each tile's subgraph is the disc of radius ``radius`` / r around the tile. The
    distances equal those on the whole network: every path short enough to count lies inside.
    """
    sources = np.asarray(sources, dtype=np.int64)
    if len(sources) == 0:
        return
    ratio = network.length_ratio()
    if ratio <= 1e-6:  # edges shorter than their straight line by a millionfold: no useful disc
        everything = np.arange(network.n, dtype=np.int64)
        for rows in _chunks(np.arange(len(sources)), network.n):
            dist = csgraph.dijkstra(network.matrix, directed=True, indices=sources[rows], limit=radius)
            yield rows, everything, dist
        return
    margin = radius / ratio * (1 + 1e-9) + 1e-6
    # Measured (CPU time) on a 400,000-node grid at 1000 m: the heap work per source does not depend on the
    # tile; tiles of 1000 m cost 6.2 s (per-tile overhead), 2000 m 4.7 s, 3000 m 4.9 s (larger dense blocks).
    tile = tile or max(2 * margin, 400.0)
    sx, sy = network.x[sources], network.y[sources]
    tx = np.floor((sx - sx.min()) / tile).astype(np.int64)
    ty = np.floor((sy - sy.min()) / tile).astype(np.int64)
    key = tx * (int(ty.max()) + 1) + ty
    order = np.argsort(key, kind="stable")
    bounds = np.flatnonzero(np.diff(key[order])) + 1
    cutter = _Cutter(network)
    for group in np.split(order, bounds):
        gx, gy = sx[group], sy[group]
        cx, cy = (gx.min() + gx.max()) / 2, (gy.min() + gy.max()) / 2
        reach = math.hypot(gx.max() - gx.min(), gy.max() - gy.min()) / 2 + margin
        nodes = np.asarray(network.tree.query_ball_point([cx, cy], reach), dtype=np.int64)
        nodes.sort()
        submatrix = cutter.cut(nodes)
        for rows in _chunks(group, len(nodes)):
            local = np.searchsorted(nodes, sources[rows])
            yield rows, nodes, csgraph.dijkstra(submatrix, directed=True, indices=local, limit=radius)


def _reached_weight(weights: FloatArray, dist: FloatArray, radius: float) -> FloatArray:
    """Per column, the summed weight of the rows within ``radius`` (exact: weights are whole people)."""
    return np.asarray(np.einsum("i,ij->j", weights, dist <= radius), dtype=np.float64)  # no BLAS threads


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

    Each pick is the candidate whose walk of ``radius`` reaches the most uncovered people; ties go to the
    lowest node index. Stops early when no candidate would cover anyone more.

    The gain of every node comes from the other side: one bounded Dijkstra from each node holding uncovered
    people (fewer than the candidates, and every candidate with a gain lies within ``radius`` of one) adds
    their weight to each node it reaches (the network is undirected). After a pick, only the people it
    covers are taken back, by bounded Dijkstras from their nodes, from the candidates that reach them.
    """
    residence_nodes = np.asarray(residence_nodes, dtype=np.int64)
    weights = np.asarray(people, dtype=np.int64) * ~np.asarray(covered, dtype=bool)
    open_nodes, inverse = np.unique(residence_nodes[weights > 0], return_inverse=True)
    if len(open_nodes) == 0 or k <= 0:
        return []
    # float64 holds whole numbers exactly up to 2**53 people: sums and matrix products stay exact
    remaining = np.bincount(inverse, weights=weights[weights > 0], minlength=len(open_nodes)).astype(np.float64)
    gains = np.zeros(network.n, dtype=np.float64)
    for rows, nodes, dist in walk_tiles(network, open_nodes, radius):
        gains[nodes] += _reached_weight(remaining[rows], dist, radius)
    allowed = np.zeros(network.n, dtype=bool)
    if candidates is None:
        allowed[:] = True
    else:
        allowed[np.asarray(candidates, dtype=np.int64)] = True
    ratio = network.length_ratio()
    open_tree = cKDTree(np.column_stack([network.x[open_nodes], network.y[open_nodes]]))
    sites: list[Site] = []
    for _ in range(k):
        best = int(np.argmax(np.where(allowed, gains, -1.0)))  # argmax: the first, lowest index, of equals
        gain = round(float(gains[best]))
        if not allowed[best] or gain <= 0:
            break
        sites.append(Site(node=best, lon=float(network.lon[best]), lat=float(network.lat[best]), gain=gain))
        if ratio > 1e-6:
            near = np.asarray(
                open_tree.query_ball_point([network.x[best], network.y[best]], radius / ratio * (1 + 1e-9) + 1e-6),
                dtype=np.int64,
            )
        else:
            near = np.arange(len(open_nodes))
        near = near[remaining[near] > 0]
        # distances from the demand side, as for the gains, so that both agree to the last bit
        for rows, nodes, dist in walk_tiles(network, open_nodes[near], radius):
            column = np.searchsorted(nodes, best)
            if column >= len(nodes) or nodes[column] != best:
                continue
            newly = dist[:, column] <= radius
            if not newly.any():
                continue
            taken = near[rows[newly]]
            gains[nodes] -= _reached_weight(remaining[taken], dist[newly], radius)
            remaining[taken] = 0
    return sites
