"""manage.py tally_vote FILE: recount an exported owners' vote (独立复核计票) without the database.

Prints one line of JSON (see docs/vote-format.md); exits 0 for every well-formed file whether or not
the vote passed, and non-zero with a message naming the offending entry for a malformed one.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jishiyu.deliberation.tally import MalformedRecord, record_tally_text


class Command(BaseCommand):
    help = "Recount an exported owners' vote (art. 278) from its JSON record alone."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the vote record (JSON), or - for standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8") as f:
                    text = f.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc}) from None
        try:
            result = record_tally_text(text)
        except MalformedRecord as exc:
            raise CommandError(_("Malformed vote record %(file)s: %(error)s") % {"file": path, "error": exc}) from None
        self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
