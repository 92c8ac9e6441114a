"""Migration helpers."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def c_collation(table: str, column: str, length: int = 255) -> migrations.RunPython:
    """Give a materialised-path column the "C" collation on PostgreSQL.

    Subtree queries are the range [path, path + "~"); they need byte order, which SQLite's default
    BINARY collation gives but a PostgreSQL database created with a locale collation does not
    (it would ignore "/" when comparing). No-op on SQLite."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE varchar({length}) COLLATE "C"')
            # Changing a column's type drops its statistics; without them the planner guesses, and on
            # 10 million tickets every queue and figure took the wrong index (bench/city.py).
            schema_editor.execute(f'ANALYZE "{table}" ("{column}")')

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE varchar({length})')

    return migrations.RunPython(forwards, backwards, elidable=False)
