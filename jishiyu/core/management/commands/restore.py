"""manage.py restore FILE --yes: put a backup made by `manage.py backup` (or pg_dump -Fc) back in place of
the database. Everything in the database is replaced; run `manage.py migrate` afterwards if the backup is
from an older release."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jishiyu.core import backup


class Command(BaseCommand):
    help = "Restore a backup over the database (destructive: needs --yes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup to restore")
        parser.add_argument("--yes", action="store_true", help="confirm: the database's contents are replaced")
        parser.add_argument("--database", default="default", help="Django database alias (default: default)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("Restoring replaces everything in the database: add --yes to go on.")
        try:
            backup.restore(Path(options["file"]), using=options["database"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored {options['file']}."))
