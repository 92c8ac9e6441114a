"""Load the shipped category catalogue (version 2025.1) and the default time limits."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import migrations

from jishiyu.tickets.catalogue import DEFAULT_POLICIES, VERSION, catalogue_rows


def load(apps: Any, schema_editor: Any) -> None:
    Category = apps.get_model("tickets", "Category")
    TimeLimitPolicy = apps.get_model("tickets", "TimeLimitPolicy")
    by_code: dict[str, Any] = {}
    for row in catalogue_rows():
        parent = by_code.get(row["parent"]) if row["parent"] else None
        category, _created = Category.objects.get_or_create(
            code=row["code"],
            version=VERSION,
            defaults={
                "name": row["name"],
                "domain": row["domain"],
                "parent": parent,
                "keywords": row["keywords"],
                "sort": row["sort"],
            },
        )
        by_code[row["code"]] = category
    if not TimeLimitPolicy.objects.exists():
        for policy in DEFAULT_POLICIES:
            TimeLimitPolicy.objects.create(effective_from=datetime.date(2020, 1, 1), **policy)


def unload(apps: Any, schema_editor: Any) -> None:
    Category = apps.get_model("tickets", "Category")
    Category.objects.filter(version=VERSION, parent__isnull=False).delete()
    Category.objects.filter(version=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
