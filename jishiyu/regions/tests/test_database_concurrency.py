from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection, connections, transaction

from jishiyu.regions.models import Region
from jishiyu.regions.services import region_create


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_wait_for_each_other_instead_of_failing():
    district = region_create(kind="district", name="区")
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def write(i: int) -> None:
        try:
            barrier.wait()
            for j in range(5):
                with transaction.atomic():
                    region_create(kind="street", name=f"街道{i}-{j}", parent=district)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Region.objects.filter(kind="street").count() == 20


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite-only settings"
)
@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
