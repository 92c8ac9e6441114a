"""manage.py backup FILE [--drill]: a consistent backup of the database; with --drill, also restore it into
a scratch database and check it (row counts of every table, a sample of encrypted values opened)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jishiyu.core import backup


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup or pg_dump); --drill restores and checks the copy."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="where to write the backup")
        parser.add_argument("--drill", action="store_true", help="restore into a scratch database and check it")
        parser.add_argument("--database", default="default", help="Django database alias (default: default)")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["file"]) if options["file"] else None
        try:
            if not options["drill"]:
                if target is None:
                    raise CommandError("Name the file to write the backup to.")
                backup.backup(target, using=options["database"])
                self.stdout.write(self.style.SUCCESS(f"Backup written to {target}."))
                return
            report = backup.drill(using=options["database"], keep=target)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restore drill: {report.tables} tables, {report.rows} rows restored; "
            f"{report.decrypted} encrypted values opened with the configured keys."
        )
        for table, (live, restored) in report.mismatched.items():
            self.stdout.write(self.style.ERROR(f"  {table}: {live} rows live, {restored} restored"))
        for column, count in report.undecryptable.items():
            self.stdout.write(self.style.ERROR(f"  {column}: {count} values no configured key opens"))
        if not report.ok:
            raise CommandError("The restore drill failed: the backup does not hold the database as it is.")
        self.stdout.write(
            self.style.SUCCESS("The restore drill passed" + (f"; backup kept at {target}." if target else "."))
        )
