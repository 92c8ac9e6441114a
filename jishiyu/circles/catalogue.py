"""The facility catalogue shipped as versioned data (设施目录): jishiyu/circles/data/catalogue.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CATALOGUE_FILE = Path(__file__).with_name("data") / "catalogue.json"


def read_catalogue(path: Path = CATALOGUE_FILE) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def load_catalogue(circle_model: Any, category_model: Any, path: Path = CATALOGUE_FILE) -> int:
    """Add the catalogue's circles and categories that are missing; rows the district edited stay as they are.

    Works with real models or historical ones (migrations). Returns the number of rows added."""
    data = read_catalogue(path)
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
            },
        )
        added += created
    return added
