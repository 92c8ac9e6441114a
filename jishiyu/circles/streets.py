"""The walking network's streets for the maps (路网底图), from the stored network, scoped and bounded.

A map asks for the streets inside its box; the answer holds the edges of the newest network over the
actor's regions whose both ends lie in that box and near the actor's regions (the map scope of the
regions app, so a community worker gets the streets around their community, not the district's), at
most ``MAX_EDGES`` of them (``truncated`` says when more were left off: zoom in).
"""

from __future__ import annotations

import io
import threading
from typing import Any

import numpy as np

from jishiyu.circles.models import Network
from jishiyu.core.scope import Actor
from jishiyu.regions import geometry, maps
from jishiyu.regions.geometry import BBox
from jishiyu.regions.selectors import map_paths

MAX_EDGES = 6000
SCOPE_MARGIN = 0.004  # degrees (about 400 m) of streets beyond the actor's regions

_lock = threading.Lock()
_arrays: dict[tuple[int, int], dict[str, np.ndarray]] = {}


def _load(record: Network) -> dict[str, np.ndarray]:
    key = (record.pk, record.edges)
    with _lock:
        if key not in _arrays:
            raw = np.load(io.BytesIO(bytes(record.data)))
            _arrays.clear()  # one network at a time is what the maps use
            _arrays[key] = {k: raw[k] for k in ("lon", "lat", "u", "v")}
        return _arrays[key]


def _network(paths: list[str]) -> Network | None:
    """The newest network whose region contains one of the paths or lies inside one."""
    for record in Network.objects.select_related("region").order_by("-created_at", "-pk").defer("data"):
        if any(p.startswith(record.region.path) or record.region.path.startswith(p) for p in paths):
            return Network.objects.get(pk=record.pk)
    return None


def map_streets(*, actor: Actor | None, bbox: BBox | None) -> dict[str, Any]:
    """One GeoJSON feature (MultiLineString) with the streets of the box, and whether it was cut short."""
    empty: dict[str, Any] = {"type": "FeatureCollection", "features": [], "truncated": False}
    paths = map_paths(actor)
    if not paths:
        return empty
    extent = maps.map_extent(actor=actor)["bbox"]
    if not extent:
        return empty
    reach = geometry.bbox_expand(tuple(extent), SCOPE_MARGIN)
    box = reach if bbox is None else bbox
    w, s, e, n = max(box[0], reach[0]), max(box[1], reach[1]), min(box[2], reach[2]), min(box[3], reach[3])
    if w >= e or s >= n:
        return empty
    record = _network(paths)
    if record is None:
        return empty
    a = _load(record)
    lon, lat, u, v = a["lon"], a["lat"], a["u"], a["v"]
    inside = (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)
    pick = np.flatnonzero(inside[u] & inside[v])
    truncated = len(pick) > MAX_EDGES
    if truncated:  # keep an even spread over the box rather than its south-west corner
        pick = pick[np.linspace(0, len(pick) - 1, MAX_EDGES).astype(np.int64)]
    lines = [
        [[round(float(lon[i]), 6), round(float(lat[i]), 6)], [round(float(lon[j]), 6), round(float(lat[j]), 6)]]
        for i, j in zip(u[pick], v[pick], strict=True)
    ]
    feature = {
        "type": "Feature",
        "geometry": {"type": "MultiLineString", "coordinates": lines},
        "properties": {"kind": "street_network", "network": record.pk, "name": record.name, "edges": len(lines)},
    }
    return {"type": "FeatureCollection", "features": [feature] if lines else [], "truncated": bool(truncated)}
