"""Rules for division codes (统计用区划代码) and geometry (GeoJSON, WGS-84). Pure functions: they
return the message of the first rule broken, or raise DomainError through the services."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from jishiyu.core.errors import DomainError

# Messages are constants that tests import.
CODE_NOT_12_DIGITS = _("An NBS division code has exactly 12 digits.")
CODE_DISTRICT_SHAPE = _("A district's division code ends in six zeros (e.g. 320114000000).")
CODE_STREET_RANGE = _(
    "A street's township part (digits 7–9) must be 001–099; 100–199 are towns, 200–399 townships, 400–599 parks."
)
CODE_PARK_RANGE = _("A park's township part (digits 7–9) must be 400–599.")
CODE_TOWNSHIP_TAIL = _("A street's or park's division code ends in three zeros.")
CODE_VILLAGE_RANGE = _("A village community's last three digits must be 200–399 (villagers' committee).")
CODE_RESIDENTS_RANGE = _("A residents' community's last three digits must be 001–199 (residents' committee).")
CODE_NO_NBS_FOR_KIND = _("Grids and compounds have no NBS division code: use the grid or local code system.")
CODE_PARENT_PREFIX = _("The division code %(code)s does not start with its parent's prefix %(prefix)s.")
CODE_BAD_CHARS = _("A code may hold only letters, digits and hyphens, at most 32 characters.")
CODE_UNKNOWN_SYSTEM = _("Unknown code system.")

GEO_NOT_OBJECT = _("The geometry must be a GeoJSON object with a type and coordinates.")
GEO_BAD_TYPE = _("Only GeoJSON Point and Polygon geometries are accepted.")
GEO_BAD_POSITION = _("Each position is [longitude, latitude] in degrees.")
GEO_LON_RANGE = _("Longitude must lie between -180 and 180.")
GEO_LAT_RANGE = _("Latitude must lie between -90 and 90.")
GEO_RING_SHORT = _("A polygon ring needs at least four positions.")
GEO_RING_OPEN = _("A polygon ring must be closed: its last position equals its first.")
GEO_NO_AREA = _("The polygon has no area.")
GEO_NO_RINGS = _("A polygon needs at least one ring.")

AREA_NOT_POSITIVE = _("The exclusive area must be a positive number of m².")
AREA_TWO_DECIMALS = _("The exclusive area has at most two decimals.")
AREA_TOO_LARGE = _("The exclusive area is too large.")
AREA_SOURCE_REQUIRED = _("Say where the area comes from: property register, survey or sale contract.")

# Kinds (plain strings to keep this module free of the models).
_DISTRICT, _STREET, _PARK, _COMMUNITY = "district", "street", "park", "community"


def nbs_code_error(kind: str, code: str, *, community_kind: str = "", parent_code: str = "") -> str | None:
    """The message for an NBS code that does not fit the node's kind or its parent's code, else None."""
    if len(code) != 12 or not code.isdigit():
        return str(CODE_NOT_12_DIGITS)
    township, village = int(code[6:9]), int(code[9:12])
    if kind == _DISTRICT:
        if code[6:] != "000000" or code[4:6] == "00":
            return str(CODE_DISTRICT_SHAPE)
        prefix_len = 4  # a district sits under a city: 3201
    elif kind in (_STREET, _PARK):
        if village != 0:
            return str(CODE_TOWNSHIP_TAIL)
        if kind == _STREET and not 1 <= township <= 99:
            return str(CODE_STREET_RANGE)
        if kind == _PARK and not 400 <= township <= 599:
            return str(CODE_PARK_RANGE)
        prefix_len = 6
    elif kind == _COMMUNITY:
        if community_kind == "village":
            if not 200 <= village <= 399:
                return str(CODE_VILLAGE_RANGE)
        elif not 1 <= village <= 199:
            return str(CODE_RESIDENTS_RANGE)
        prefix_len = 9
    else:
        return str(CODE_NO_NBS_FOR_KIND)
    if parent_code and code[:prefix_len] != parent_code[:prefix_len]:
        return str(CODE_PARENT_PREFIX % {"code": code, "prefix": parent_code[:prefix_len]})
    return None


def other_code_error(code: str) -> str | None:
    if not code or len(code) > 32 or not all(c.isalnum() or c == "-" for c in code):
        return str(CODE_BAD_CHARS)
    return None


def _position(value: Any) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) not in (2, 3):
        raise DomainError(GEO_BAD_POSITION, field="geometry")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value):
        raise DomainError(GEO_BAD_POSITION, field="geometry")
    lon, lat = float(value[0]), float(value[1])
    if not -180 <= lon <= 180:
        raise DomainError(GEO_LON_RANGE, field="geometry")
    if not -90 <= lat <= 90:
        raise DomainError(GEO_LAT_RANGE, field="geometry")
    return lon, lat


def _ring(value: Any) -> list[tuple[float, float]]:
    if not isinstance(value, list | tuple):
        raise DomainError(GEO_BAD_POSITION, field="geometry")
    points = [_position(p) for p in value]
    if len(points) < 4:
        raise DomainError(GEO_RING_SHORT, field="geometry")
    if points[0] != points[-1]:
        raise DomainError(GEO_RING_OPEN, field="geometry")
    return points


def _ring_area_centroid(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Signed area and area-weighted centroid sums of a closed ring (shoelace formula).
    Coordinates are shifted to the first vertex to keep precision at ~118°E."""
    x0, y0 = points[0]
    area2 = cx = cy = 0.0
    for (xa, ya), (xb, yb) in itertools.pairwise(points):
        xa, ya, xb, yb = xa - x0, ya - y0, xb - x0, yb - y0
        cross = xa * yb - xb * ya
        area2 += cross
        cx += (xa + xb) * cross
        cy += (ya + yb) * cross
    area = area2 / 2
    if area == 0:
        return 0.0, x0, y0
    return area, cx / (6 * area) + x0, cy / (6 * area) + y0


def geometry_clean(geometry: Any) -> tuple[dict[str, Any], float, float]:
    """Validate a GeoJSON Point or Polygon (WGS-84) and return it with its representative point (质心)."""
    if not isinstance(geometry, dict) or "type" not in geometry or "coordinates" not in geometry:
        raise DomainError(GEO_NOT_OBJECT, field="geometry")
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        lon, lat = _position(coords)
        return {"type": "Point", "coordinates": [lon, lat]}, lon, lat
    if kind != "Polygon":
        raise DomainError(GEO_BAD_TYPE, field="geometry")
    if not isinstance(coords, list | tuple) or not coords:
        raise DomainError(GEO_NO_RINGS, field="geometry")
    rings = [_ring(r) for r in coords]
    outer_area, ox, oy = _ring_area_centroid(rings[0])
    if abs(outer_area) < 1e-14:
        raise DomainError(GEO_NO_AREA, field="geometry")
    # Holes subtract their area-weighted centroid (signs normalised: outer positive, holes negative).
    total, sx, sy = abs(outer_area), abs(outer_area) * ox, abs(outer_area) * oy
    for hole in rings[1:]:
        area, hx, hy = _ring_area_centroid(hole)
        total -= abs(area)
        sx -= abs(area) * hx
        sy -= abs(area) * hy
    if total <= 0:
        raise DomainError(GEO_NO_AREA, field="geometry")
    cleaned = {"type": "Polygon", "coordinates": [[[x, y] for x, y in ring] for ring in rings]}
    return cleaned, round(sx / total, 7), round(sy / total, 7)


def point_clean(lon: Any, lat: Any) -> tuple[float, float]:
    """A representative point given alone (no geometry)."""
    lo, la = _position([lon, lat])
    return lo, la


def area_clean(area: Any, source: str) -> Decimal | None:
    """An exclusive area (专有部分面积): positive, two decimals, with its source."""
    if area is None or area == "":
        return None
    try:
        value = Decimal(str(area))
    except InvalidOperation:
        raise DomainError(AREA_NOT_POSITIVE, field="exclusive_area") from None
    if not value.is_finite() or value <= 0:
        raise DomainError(AREA_NOT_POSITIVE, field="exclusive_area")
    if value != value.quantize(Decimal("0.01")):
        raise DomainError(AREA_TWO_DECIMALS, field="exclusive_area")
    if value >= Decimal("10000000"):
        raise DomainError(AREA_TOO_LARGE, field="exclusive_area")
    if not source:
        raise DomainError(AREA_SOURCE_REQUIRED, field="area_source")
    return value.quantize(Decimal("0.01"))
