"""manage.py rotate_field_key: rewrite every encrypted value with the current FIELD_ENCRYPTION_KEY.

Set the new key as FIELD_ENCRYPTION_KEY and the old one first in FIELD_ENCRYPTION_OLD_KEYS, restart, run
this; when it reports nothing left on an old key, remove the old key. Safe to interrupt and run again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jishiyu.audit.services import audit_record_bulk
from jishiyu.core.crypto import reencrypt_fields


class Command(BaseCommand):
    help = "Re-encrypt sensitive fields with the current key (resumable, audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        report = reencrypt_fields(batch_size=options["batch_size"])
        total = {"rewritten": 0, "current": 0, "rehashed": 0, "unreadable": 0}
        for label, counts in report.items():
            self.stdout.write(
                f"{label}: {counts.rewritten} rewritten, {counts.current} already current, "
                f"{counts.rehashed} look-up hashes renewed, {counts.unreadable} unreadable"
            )
            for key in total:
                total[key] += getattr(counts, key)
        audit_record_bulk(
            action="update",
            object_type="core.field_key",
            count=total["rewritten"],
            reason="field encryption key rotation",
            details={**total, "old_keys": len(settings.FIELD_ENCRYPTION_OLD_KEYS), "models": sorted(report)},
        )
        if total["unreadable"]:
            raise CommandError(
                f"{total['unreadable']} values open with no configured key: add the key they were written with "
                "to FIELD_ENCRYPTION_OLD_KEYS and run again."
            )
        self.stdout.write(self.style.SUCCESS(f"Done: {total['rewritten']} values now on the current key."))
