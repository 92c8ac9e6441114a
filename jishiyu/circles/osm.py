"""OpenStreetMap extracts (OSM 数据): the walking network and tagged facilities from a .osm.pbf, via pyrosm."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from jishiyu.circles.network import Network, NetworkError, build_network

TAG_MAP_FILE = Path(__file__).with_name("data") / "osm_tags.json"


class NotAnExtract(NetworkError):
    """The file is not an OpenStreetMap .osm.pbf extract (非 OSM 数据文件)."""


def check_pbf(path: str | Path) -> Path:
    """The path, if it names a readable .osm.pbf file (the first blob header says OSMHeader)."""
    p = Path(path)
    if not p.is_file():
        raise NotAnExtract(f"{p}: no such file")
    with p.open("rb") as fh:
        head = fh.read(64)
    if len(head) < 8:
        raise NotAnExtract(f"{p}: not an OpenStreetMap extract (.osm.pbf): the file is empty or too short")
    size = int.from_bytes(head[:4], "big")
    if not (0 < size < 64 * 1024) or b"OSMHeader" not in head[4 : 4 + size]:
        raise NotAnExtract(f"{p}: not an OpenStreetMap extract (.osm.pbf): no OSMHeader block at the start")
    return p


BBox = tuple[float, float, float, float]


def _osm(path: str | Path, bbox: BBox | None = None) -> Any:
    import pyrosm  # heavy import: only when reading an extract

    checked = str(check_pbf(path))
    return pyrosm.OSM(checked, bounding_box=list(bbox)) if bbox else pyrosm.OSM(checked)


def read_walking_network(path: str | Path, bbox: BBox | None = None) -> Network:
    """The ways a pedestrian may use (pyrosm's walking network) as a Network."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = _osm(path, bbox).get_network(network_type="walking", nodes=True)
        except NotAnExtract:
            raise
        except Exception as exc:  # pyrosm raises many kinds on a damaged file
            raise NotAnExtract(f"{path}: cannot read the extract ({type(exc).__name__}: {exc})") from exc
    if result is None:
        raise NetworkError(f"{path}: the extract holds no walkable ways")
    nodes, edges = result
    if nodes is None or edges is None or len(nodes) == 0 or len(edges) == 0:
        raise NetworkError(f"{path}: the extract holds no walkable ways")
    return build_network(
        edges["u"].to_numpy(np.int64),
        edges["v"].to_numpy(np.int64),
        edges["length"].to_numpy(np.float64),
        nodes["id"].to_numpy(np.int64),
        nodes["lon"].to_numpy(np.float64),
        nodes["lat"].to_numpy(np.float64),
    )


def load_tag_map(path: Path = TAG_MAP_FILE) -> dict[str, Any]:
    """The OSM tag → category mapping shipped as data (key → value → category code)."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@dataclass
class OsmFacility:
    """A facility found in an extract (OSM 设施)."""

    osm_id: str
    category: str
    name: str
    lon: float
    lat: float


def read_facilities(
    path: str | Path, tag_map: dict[str, Any] | None = None, bbox: BBox | None = None
) -> list[OsmFacility]:
    """Facilities in the extract whose tags the mapping knows; polygons give their centroid."""
    mapping: dict[str, dict[str, str]] = (tag_map or load_tag_map())["tags"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            pois = _osm(path, bbox).get_pois(custom_filter={key: True for key in mapping})
        except NotAnExtract:
            raise
        except Exception as exc:
            raise NotAnExtract(f"{path}: cannot read the extract ({type(exc).__name__}: {exc})") from exc
    found: list[OsmFacility] = []
    if pois is None or len(pois) == 0:
        return found
    points = pois.geometry.representative_point()
    for (_, row), point in zip(pois.iterrows(), points, strict=True):
        for key, values in mapping.items():
            value = row.get(key)
            if isinstance(value, str) and value in values:
                name = row.get("name")
                found.append(
                    OsmFacility(
                        osm_id=f"{row.get('osm_type', 'node')}/{row['id']}",
                        category=values[value],
                        name=name if isinstance(name, str) else "",
                        lon=float(point.x),
                        lat=float(point.y),
                    )
                )
                break
    return found
