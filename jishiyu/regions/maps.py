"""What a map draws of the district from the installation's own data (底图): outlines, buildings, labels.

Every map reads through :func:`jishiyu.regions.selectors.map_paths`, the actor's map scope: the subtrees
where they hold "regions.view", and for a resident ("regions.map", held at their home grid) their home
community, so the place picker shows the streets and outlines around their home and nothing of other
communities. Answers are bounded: features are cut to the box asked for, capped in number, and outlines
are simplified to about a pixel of the box, so a whole district or one street's corner each costs a few
hundred kilobytes.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jishiyu.core.errors import ValidationFailed
from jishiyu.core.scope import Actor
from jishiyu.regions import geometry
from jishiyu.regions.geometry import BBox
from jishiyu.regions.models import Region
from jishiyu.regions.selectors import map_building_list, map_paths, map_region_list

KINDS = ("district", "street", "park", "community", "grid", "compound")
MAX_FEATURES = 600
MAX_BUILDINGS = 1500
BUILDINGS_MAX_SPAN = 0.04  # degrees (about 4 km): buildings are drawn only on a box this small or smaller
PIXELS = 1500  # outlines are simplified to the box's width over this
SMALL_KINDS = (Region.Kind.COMMUNITY, Region.Kind.GRID, Region.Kind.COMPOUND)
NEAR = 0.03  # degrees: how far a small region's centroid may lie outside the box while its outline reaches in


BBOX_INVALID = _("Give the box as west,south,east,north in degrees, west below east and south below north.")


def bbox_param(text: str | None) -> BBox | None:
    """The ``bbox`` query parameter, or a message on that field."""
    try:
        return geometry.parse_bbox(text)
    except ValueError:
        raise ValidationFailed({"bbox": BBOX_INVALID}) from None


def map_extent(*, actor: Actor | None) -> dict[str, Any]:
    """The box around the actor's regions and the regions at the top of their scope (to fit the map on)."""
    paths = map_paths(actor)
    roots = list(
        Region.objects.filter(path__in=paths).order_by("path").only("id", "name", "kind", "geometry", "lon", "lat")
    )
    boxes = [
        geometry.bbox_of(r.geometry)
        or ((r.lon, r.lat, r.lon, r.lat) if r.lon is not None and r.lat is not None else None)
        for r in roots
    ]
    box = geometry.bbox_union(boxes)
    if box is None and paths:  # roots without outlines: the box of what lies below them
        below = (
            map_region_list(paths).exclude(lon__isnull=True).exclude(lat__isnull=True).values_list("lon", "lat")[:5000]
        )
        box = geometry.bbox_union((x, y, x, y) for x, y in below if x is not None and y is not None)
    return {
        "bbox": list(box) if box else None,
        "regions": [{"id": r.pk, "name": r.name, "kind": r.kind} for r in roots],
    }


def map_features(
    *, actor: Actor | None, bbox: BBox | None, kinds: list[str] | None = None, buildings: bool = False
) -> dict[str, Any]:
    """GeoJSON of the outlines (and, on a small box, the buildings) of the actor's scope inside ``bbox``."""
    paths = map_paths(actor)
    wanted = [k for k in (kinds or KINDS) if k in KINDS]
    extent = map_extent(actor=actor)["bbox"] if bbox is None else None
    box: BBox | None = bbox or (tuple(extent) if extent else None)
    features: list[dict[str, Any]] = []
    truncated = False
    if box is None or not paths:
        return {"type": "FeatureCollection", "features": features, "truncated": False}
    tolerance = (box[2] - box[0]) / PIXELS
    qs = map_region_list(paths).filter(kind__in=wanted).exclude(geometry__isnull=True)
    near = geometry.bbox_expand(box, NEAR)
    qs = qs.filter(
        ~Q(kind__in=SMALL_KINDS)
        | Q(lon__gte=near[0], lon__lte=near[2], lat__gte=near[1], lat__lte=near[3])
        | Q(lon__isnull=True)
    )
    for r in qs.order_by("depth", "path").only("id", "name", "kind", "geometry", "lon", "lat").iterator(chunk_size=500):
        outline_box = geometry.bbox_of(r.geometry)
        if outline_box is None or not geometry.bbox_intersects(outline_box, box):
            continue
        if len(features) >= MAX_FEATURES:
            truncated = True
            break
        shape = geometry.simplify(r.geometry, tolerance)
        if shape is None:
            continue
        props: dict[str, Any] = {"id": r.pk, "name": r.name, "kind": r.kind}
        if r.lon is not None and r.lat is not None:
            props["label_at"] = [round(r.lon, 6), round(r.lat, 6)]
        features.append({"type": "Feature", "geometry": shape, "properties": props})
    small = (box[2] - box[0]) <= BUILDINGS_MAX_SPAN and (box[3] - box[1]) <= BUILDINGS_MAX_SPAN
    if buildings and small:
        rows = (
            map_building_list(paths)
            .filter(lon__gte=box[0], lon__lte=box[2], lat__gte=box[1], lat__lte=box[3])
            .order_by("pk")
            .values_list("pk", "number", "lon", "lat")[: MAX_BUILDINGS + 1]
        )
        for i, (pk, number, lon, lat) in enumerate(rows):
            if lon is None or lat is None:
                continue
            if i >= MAX_BUILDINGS:
                truncated = True
                break
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                    "properties": {"id": pk, "name": number, "kind": "building"},
                }
            )
    return {"type": "FeatureCollection", "features": features, "truncated": truncated}
