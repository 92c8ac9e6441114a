"""``{% map_settings as m %}``: what templates/partials/map.html needs to set a map up (base map, endpoints)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse

from jishiyu.regions.tiles import tiles_path

register = template.Library()


@register.simple_tag
def map_settings() -> dict[str, Any]:
    return {
        "tile_url": getattr(settings, "MAP_TILE_URL", ""),
        "pmtiles_url": reverse("regions:map-tiles") if tiles_path() is not None else "",
        "extent": "/api/v1/regions/map/extent",
        "features": "/api/v1/regions/map/features",
        "streets": "/api/v1/circles/map/streets",
    }
