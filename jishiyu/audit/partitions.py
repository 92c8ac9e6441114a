"""The audit log's monthly partitions on PostgreSQL (docs/decisions/0008-audit-partitions.md).

On PostgreSQL ``audit_auditentry`` is a table partitioned by range of ``at``, one partition per calendar
month in the district's time zone (``audit_auditentry_p2026_12``), and a default partition that catches an
entry no month was made for yet. Retention then drops whole months past the cutoff instead of deleting
rows one by one, and a search over a date range reads only the months it names.

The nightly task keeps the current month and the next ``AHEAD`` months made; making a month moves out of
the default partition the entries that landed there meanwhile. On SQLite there are no partitions and every
function here does nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

TABLE = "audit_auditentry"
DEFAULT = f"{TABLE}_default"
AHEAD = 3
_NAME = re.compile(rf"^{TABLE}_p(\d{{4}})_(\d{{2}})$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, moment: datetime) -> Month:
        local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
        return cls(local.year, local.month)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def name(self) -> str:
        return f"{TABLE}_p{self.year:04d}_{self.month:02d}"

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))

    @property
    def end(self) -> datetime:
        return self.next().start


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def months() -> list[Month]:
    """The monthly partitions that exist, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s)",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    found = [_NAME.match(name) for name in names]
    return sorted(Month(int(m[1]), int(m[2])) for m in found if m)


def make_month(month: Month) -> bool:
    """Make one month's partition, moving into it what the default partition holds for that month.
    False if it already existed."""
    if month in months():
        return False
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE "{month.name}" (LIKE "{TABLE}" INCLUDING DEFAULTS INCLUDING STORAGE)')
        moved = f'DELETE FROM "{DEFAULT}" WHERE at >= %s AND at < %s RETURNING *'  # noqa: S608 - our names
        into = f'INSERT INTO "{month.name}" SELECT * FROM moved'  # noqa: S608 - table names we make
        cursor.execute(f"WITH moved AS ({moved}) {into}", [month.start, month.end])
        cursor.execute(
            f'ALTER TABLE "{TABLE}" ATTACH PARTITION "{month.name}" FOR VALUES FROM (%s) TO (%s)',
            [month.start, month.end],
        )
    return True


def ensure_months(*, now: datetime | None = None, ahead: int = AHEAD) -> list[str]:
    """Make this month's partition and the next ``ahead`` months'. The names made, if any."""
    if not is_partitioned():
        return []
    made = []
    month = Month.of(now or timezone.now())
    for _ in range(ahead + 1):
        if make_month(month):
            made.append(month.name)
        month = month.next()
    return made


def drop_months_before(cutoff: datetime) -> int:
    """Drop every month that ends on or before ``cutoff``; the number of entries they held."""
    if not is_partitioned():
        return 0
    dropped = 0
    for month in months():
        if month.end > cutoff:
            break
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'SELECT count(*) FROM "{month.name}"')  # noqa: S608 - names we make
            dropped += cursor.fetchone()[0]
            # Inside a longer transaction (a test's), the deferred foreign-key checks of rows written in it
            # would forbid the drop: run them now, then defer again as Django's keys are.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f'ALTER TABLE "{TABLE}" DETACH PARTITION "{month.name}"')
            cursor.execute(f'DROP TABLE "{month.name}"')
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return dropped
