"""Backup, restore drill and key rotation over the demo district (issue 14), on the engine the suite runs on
(SQLite locally, PostgreSQL in CI's second leg)."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from jishiyu.audit.models import AuditEntry
from jishiyu.conftest import reload_data_migrations
from jishiyu.core import backup, crypto
from jishiyu.people.models import Person
from jishiyu.people.services import person_lookup


def _demo() -> None:
    reload_data_migrations()  # an earlier live-server test on this worker may have flushed them
    call_command("demo_district", "--residents", "120", "--seed", "5", verbosity=0)


def _new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@pytest.fixture
def keys(settings: Any) -> Any:
    """Key settings changed by a test are forgotten again afterwards."""
    yield settings
    crypto.reset_keys()


@pytest.mark.django_db(transaction=True)  # pg_dump reads what is committed
def test_the_drill_restores_the_demo_into_a_scratch_database_and_reads_it_with_the_key(
    tmp_path: Path, keys: Any
) -> None:
    _demo()
    kept = tmp_path / "demo.backup"
    out = io.StringIO()
    call_command("backup", str(kept), "--drill", stdout=out)
    assert "The restore drill passed" in out.getvalue()
    assert kept.stat().st_size > 0
    report = backup.drill()
    assert report.ok and report.tables > 20 and report.decrypted > 0
    assert report.rows >= Person.objects.count() > 0

    # the backup comes back over the live database: a resident deleted since is there again
    people = Person.objects.count()
    Person.objects.filter(pk=Person.objects.order_by("pk").values("pk")[:1]).delete()
    assert Person.objects.count() == people - 1
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(kept))
    call_command("restore", str(kept), "--yes", stdout=io.StringIO())
    assert Person.objects.count() == people

    # a drill with the wrong key fails: the backup could not be read
    keys.FIELD_ENCRYPTION_KEY = _new_key()
    crypto.reset_keys()
    failed = backup.drill()
    assert not failed.ok and failed.undecryptable
    with pytest.raises(CommandError, match="restore drill failed"):
        call_command("backup", "--drill", stdout=io.StringIO())


def test_a_missing_backup_is_refused_with_its_name(tmp_path: Path, db: Any) -> None:
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore", str(tmp_path / "none.dump"), "--yes")


@pytest.mark.django_db
def test_the_field_key_is_rotated_in_batches_resumably_and_audited(keys: Any) -> None:
    _demo()
    person = Person.objects.exclude(document_enc="").order_by("pk").first()
    assert person is not None
    number, phone = person._document_plain(), person._phone_plain()
    old_tokens = dict(Person.objects.values_list("pk", "document_enc"))

    keys.FIELD_ENCRYPTION_OLD_KEYS = [keys.FIELD_ENCRYPTION_KEY]
    keys.FIELD_ENCRYPTION_KEY = _new_key()
    crypto.reset_keys()
    assert Person.objects.get(pk=person.pk)._document_plain() == number  # read with the old key meanwhile

    out = io.StringIO()
    call_command("rotate_field_key", "--batch-size", "7", stdout=out)
    assert "values now on the current key" in out.getvalue()
    entry = AuditEntry.objects.filter(object_type="core.field_key").latest("at")
    assert entry.changes["count"] > 0 and entry.changes["details"]["unreadable"] == 0
    assert number not in str(entry.changes)

    # every value was written again: the old key can go, and everything still opens and is found
    new_tokens = dict(Person.objects.values_list("pk", "document_enc"))
    assert all(new_tokens[pk] != token for pk, token in old_tokens.items() if token)
    keys.FIELD_ENCRYPTION_OLD_KEYS = []
    crypto.reset_keys()
    again = Person.objects.get(pk=person.pk)
    assert (again._document_plain(), again._phone_plain()) == (number, phone)
    admin = _district_admin()
    assert person_lookup(actor=admin, document_number=number).pk == person.pk  # the look-up hash follows
    tokens = Person.objects.exclude(document_enc="").values_list("document_enc", flat=True)
    assert all(crypto.decrypt_text(token) for token in tokens)

    # a second run finds nothing left to do
    report = crypto.reencrypt_fields(batch_size=50)
    assert sum(r.rewritten for r in report.values()) == 0
    assert report["people.Person"].current > 0


@pytest.mark.django_db
def test_a_value_no_configured_key_opens_stops_the_rotation_with_what_to_do(keys: Any) -> None:
    _demo()
    keys.FIELD_ENCRYPTION_KEY = _new_key()  # the old key forgotten: nothing opens
    crypto.reset_keys()
    with pytest.raises(CommandError, match="FIELD_ENCRYPTION_OLD_KEYS"):
        call_command("rotate_field_key", stdout=io.StringIO())
    assert Person.objects.exclude(document_enc="").exists()  # nothing was overwritten


def _district_admin() -> Any:
    from jishiyu.accounts.models import User

    return User.objects.get(phone="13900000008")
