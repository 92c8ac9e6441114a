"""The task queue of the default install: huey on an SQLite file, committed as the app's database is.

huey's ``SqliteStorage`` leaves SQLite's ``synchronous`` at FULL, so every enqueue waits for an fsync
(4–15 ms on the reference machine): a request that queues a task after its commit paid more for the
queue than for its own work. In WAL mode, ``synchronous=NORMAL`` (what the app's own SQLite database
uses, see settings) keeps the file consistent through any crash; a power loss may forget the tasks
enqueued last, as it may the app database's last commits (callbacks and the intake analysis have a
periodic sweep besides).
With ``REDIS_URL`` set, RedisHuey is used instead and none of this applies."""

from __future__ import annotations

import sqlite3

from huey import Huey
from huey.storage import SqliteStorage


class NormalSyncSqliteStorage(SqliteStorage):
    def _create_connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = super()._create_connection()
        conn.execute("pragma synchronous=NORMAL")
        return conn


class SqliteHuey(Huey):
    storage_class = NormalSyncSqliteStorage
