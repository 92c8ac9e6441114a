"""Backup, restore and the restore drill (备份与恢复演练), on SQLite and PostgreSQL.

- SQLite: the online backup API of the sqlite3 module (a consistent copy while the server runs, WAL or not).
- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --no-owner``, the engine's own tools, with the
  connection settings of Django's database. The target's public schema is emptied first (dropped and made
  again) rather than with ``--clean``, which cannot drop a partitioned table's inherited keys (the audit log).

The drill backs the database up, restores the copy into a scratch database, compares the row count of
every table and opens a sample of every encrypted column with the configured keys: a backup is only as good
as a restore that was tried, with the key that reads it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # pg_dump and pg_restore, with arguments we build, never a shell
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections

from jishiyu.core.crypto import decrypt_text, encrypted_columns

SAMPLE = 20  # encrypted values opened per column in a drill


class BackupError(Exception):
    """A backup or restore could not be made; the message says why, for the operator."""


@dataclass
class DrillReport:
    tables: int = 0
    rows: int = 0
    mismatched: dict[str, tuple[int, int]] = field(default_factory=dict)  # table: (live, restored)
    decrypted: int = 0
    undecryptable: dict[str, int] = field(default_factory=dict)  # "table.column": values no key opened

    @property
    def ok(self) -> bool:
        return not self.mismatched and not self.undecryptable


def _engine(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups are made for SQLite and PostgreSQL, not {vendor}.")
    return vendor


def backup(path: Path, *, using: str = "default") -> Path:
    """Write a backup of the database to ``path`` (an SQLite file, or a pg_dump custom-format archive)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if _engine(using) == "sqlite":
        connection = connections[using]
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        _pg("pg_dump", "--format=custom", "--no-owner", f"--file={path}", settings=_pg_settings(using))
    return path


def restore(path: Path, *, using: str = "default", database: str | None = None) -> None:
    """Put the backup at ``path`` back: into Django's database, or into ``database`` (a file name on SQLite,
    a database name on PostgreSQL) when given. Everything in the target is replaced."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    if _engine(using) == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if database is None:
                connection = connections[using]
                connection.ensure_connection()
                source.backup(connection.connection)
            else:
                target = sqlite3.connect(database)
                try:
                    source.backup(target)
                finally:
                    target.close()
        finally:
            source.close()
    else:
        settings = _pg_settings(using, database)
        target = _pg_connect(settings, str(settings["NAME"]))
        try:
            target.execute("DROP SCHEMA IF EXISTS public CASCADE")
            target.execute("CREATE SCHEMA public")
        finally:
            target.close()
        _pg(
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            f"--dbname={settings['NAME']}",
            str(path),
            settings=settings,
        )


def drill(*, using: str = "default", keep: Path | None = None) -> DrillReport:
    """Back up, restore into a scratch database, compare and decrypt; the scratch database is dropped."""
    with tempfile.TemporaryDirectory(prefix="jishiyu-drill-") as tmp:
        archive = backup(Path(tmp) / ("backup.sqlite3" if _engine(using) == "sqlite" else "backup.dump"), using=using)
        if keep is not None:
            shutil.copyfile(archive, keep)
        with _scratch(using, Path(tmp)) as (name, open_scratch):
            restore(archive, using=using, database=name)
            return _compare(using, open_scratch)


@contextmanager
def _scratch(using: str, tmp: Path) -> Iterator[tuple[str, Any]]:
    """A new empty database to restore into, and a function opening a DB-API connection to it."""
    if _engine(using) == "sqlite":
        name = str(tmp / "restored.sqlite3")
        yield name, lambda: sqlite3.connect(name)
        return
    settings = _pg_settings(using)
    name = f"{settings['NAME']}_drill_{uuid.uuid4().hex[:8]}"
    admin = _pg_connect(settings, "postgres")
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        yield name, lambda: _pg_connect(settings, name)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def _pg_connect(settings: dict[str, Any], name: str) -> Any:
    import psycopg

    return psycopg.connect(
        dbname=name,
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        autocommit=True,
    )


def _compare(using: str, open_scratch: Any) -> DrillReport:
    connection = connections[using]
    quote = connection.ops.quote_name
    report = DrillReport()
    restored = open_scratch()
    try:
        with connection.cursor() as live:
            for table in sorted(connection.introspection.table_names(live)):
                live.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from the catalogue
                want = int(live.fetchone()[0])
                got = int(restored.execute(f"SELECT COUNT(*) FROM {quote(table)}").fetchone()[0])  # noqa: S608
                report.tables += 1
                report.rows += got
                if got != want:
                    report.mismatched[table] = (want, got)
        for model, columns in encrypted_columns().items():
            table = model._meta.db_table
            for name, _hash in columns:
                column = str(getattr(model._meta.get_field(name), "column", None) or name)
                sql = (
                    f"SELECT {quote(column)} FROM {quote(table)} "  # noqa: S608 - names from the models
                    f"WHERE {quote(column)} <> '' ORDER BY 1 LIMIT {SAMPLE}"
                )
                for (token,) in restored.execute(sql).fetchall():
                    try:
                        decrypt_text(token)
                    except ValueError:
                        key = f"{table}.{column}"
                        report.undecryptable[key] = report.undecryptable.get(key, 0) + 1
                    else:
                        report.decrypted += 1
    finally:
        restored.close()
    return report


def _pg_settings(using: str, database: str | None = None) -> dict[str, Any]:
    settings = dict(connections[using].settings_dict)
    if database is not None:
        settings["NAME"] = database
    return settings


def _pg(program: str, *args: str, settings: dict[str, Any]) -> None:
    binary = shutil.which(program)
    if binary is None:
        raise BackupError(f"{program} is not installed (PostgreSQL client tools: apt-get install postgresql-client).")
    env = {**os.environ, "PGDATABASE": str(settings["NAME"])}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings.get(key):
            env[variable] = str(settings[key])
    result = subprocess.run([binary, *args], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()[-500:]}")
