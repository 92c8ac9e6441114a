"""Every materialised-path column sorts bytewise on PostgreSQL ("C" collation), so a subtree is the range
[path, path + "~") whatever locale the database was made with. Found missing on tickets and import jobs by
the city-scale bench: under ICU, "/1/2/45/" < "/1/2/~" is false and a street's queue would drop tickets."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection, models

pytestmark = pytest.mark.django_db


def path_columns() -> list[tuple[str, str]]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("jishiyu."):
            continue
        for field in model._meta.local_concrete_fields:
            if isinstance(field, models.CharField) and (field.name == "path" or field.name.endswith("_path")):
                found.append((model._meta.db_table, str(field.column)))
    return found


def test_the_path_columns_are_found() -> None:
    columns = set(path_columns())
    assert {
        ("regions_region", "path"),
        ("tickets_ticket", "region_path"),
        ("audit_auditentry", "region_path"),
    } <= columns


@pytest.mark.skipif(connection.vendor != "postgresql", reason="collations are PostgreSQL's; SQLite compares bytes")
def test_every_materialised_path_column_has_the_c_collation() -> None:
    with connection.cursor() as cursor:
        wrong = []
        for table, column in path_columns():
            cursor.execute(
                "SELECT collation_name FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
                [table, column],
            )
            (collation,) = cursor.fetchone()
            if collation != "C":
                wrong.append(f"{table}.{column}: {collation}")
    assert not wrong, "give these the C collation (core.migration_ops.c_collation): " + ", ".join(wrong)
