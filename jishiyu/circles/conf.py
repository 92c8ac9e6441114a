"""Settings of the circles app (幸福圈配置) with their defaults."""

from __future__ import annotations

from django.conf import settings

# GB 50180-2018 walking distances by circle minutes.
DEFAULT_DISTANCES = {5: 300, 10: 500, 15: 1000}


def distance_for(minutes: int) -> float:
    """Walking distance in metres of the circle of ``minutes`` (setting CIRCLES_DISTANCES)."""
    table: dict[int, float] = getattr(settings, "CIRCLES_DISTANCES", DEFAULT_DISTANCES)
    return float(table.get(minutes, DEFAULT_DISTANCES.get(minutes, minutes * 60)))


def max_snap() -> float:
    """Facilities farther than this from any network node are refused (setting CIRCLES_MAX_SNAP_METRES)."""
    return float(getattr(settings, "CIRCLES_MAX_SNAP_METRES", 500))
