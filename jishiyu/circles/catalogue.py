"""The facility catalogue shipped as versioned data (设施目录): jishiyu/circles/data/catalogue.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CATALOGUE_FILE = Path(__file__).with_name("data") / "catalogue.json"
TAG_MAP_FILE = Path(__file__).with_name("data") / "osm_tags.json"
KEY_ORDER = ("shop", "amenity", "leisure")


def shipped_osm_tags(path: Path = TAG_MAP_FILE) -> dict[str, str]:
    """Category code → its OSM tags ("key=value" lines) from the shipped mapping."""
    data = json.loads(path.read_text(encoding="utf-8"))
    lines: dict[str, list[str]] = {}
    for key, values in data["tags"].items():
        for value, code in values.items():
            lines.setdefault(code, []).append(f"{key}={value}")
    return {code: "\n".join(tags) for code, tags in lines.items()}


def parse_osm_tags(text: str) -> list[tuple[str, str]]:
    """The ("key", "value") pairs of an osm_tags text; raises ValueError naming the first bad line."""
    pairs: list[tuple[str, str]] = []
    for line in (text or "").replace(",", "\n").splitlines():
        line = line.strip()
        if not line:
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(line)
        pairs.append((key.strip(), value.strip()))
    return pairs


def tag_map_of(categories: list[tuple[str, str]]) -> dict[str, Any]:
    """The OSM tag mapping ({"tags": {key: {value: code}}}) of (code, osm_tags) rows; the first claim wins."""
    tags: dict[str, dict[str, str]] = {}
    for code, text in categories:
        for key, value in parse_osm_tags(text):
            tags.setdefault(key, {}).setdefault(value, code)
    order = {k: i for i, k in enumerate(KEY_ORDER)}
    return {"tags": dict(sorted(tags.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))}


def read_catalogue(path: Path = CATALOGUE_FILE) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def load_catalogue(circle_model: Any, category_model: Any, path: Path = CATALOGUE_FILE) -> int:
    """Add the catalogue's circles and categories that are missing; rows the district edited stay as they are.

    Works with real models or historical ones (migrations). Returns the number of rows added."""
    data = read_catalogue(path)
    # Historical models before 0003 have no osm_tags: that migration fills them.
    osm = shipped_osm_tags() if any(f.name == "osm_tags" for f in category_model._meta.fields) else {}
    version = data["version"]
    added = 0
    circles = {}
    for c in data["circles"]:
        circle, created = circle_model.objects.get_or_create(
            code=c["code"],
            defaults={
                "name": c["name"],
                "name_en": c["name_en"],
                "minutes": c["minutes"],
                "order": c["order"],
                "catalogue_version": version,
            },
        )
        circles[c["code"]] = circle
        added += created
    for cat in data["categories"]:
        _, created = category_model.objects.get_or_create(
            code=cat["code"],
            defaults={
                "name": cat["name"],
                "name_en": cat["name_en"],
                "circle": circles[cat["circle"]],
                "basis": cat.get("basis", ""),
                "catalogue_version": version,
                **({"osm_tags": osm.get(cat["code"], "")} if osm else {}),
            },
        )
        added += created
    return added
