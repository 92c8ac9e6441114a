#!/usr/bin/env python
"""Fill zh_Hans translations from a JSON file {msgid: msgstr}: python scripts/i18n_fill.py FILE.json.

Prints the msgids still missing. Existing translations are kept; a fuzzy entry whose msgid is in the
file gets the new translation and loses its fuzzy flag."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main(mapping_file: str) -> None:
    translations = json.loads(Path(mapping_file).read_text(encoding="utf-8"))
    missing: list[tuple[str, str]] = []
    for po_path in sorted(ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")):
        if ".venv" in po_path.parts or "node_modules" in po_path.parts:
            continue
        po = polib.pofile(str(po_path))
        changed = False
        for entry in po:
            known = translations.get(entry.msgid)
            fuzzy = "fuzzy" in entry.flags
            if entry.msgid_plural:
                if (not any(entry.msgstr_plural.values()) or fuzzy) and known:
                    entry.msgstr_plural = {0: known}
                    changed = True
                elif not any(entry.msgstr_plural.values()):
                    missing.append((str(po_path.relative_to(ROOT)), entry.msgid))
            elif (not entry.msgstr or fuzzy) and known:
                entry.msgstr = known
                changed = True
            elif not entry.msgstr:
                missing.append((str(po_path.relative_to(ROOT)), entry.msgid))
            if fuzzy and known:
                entry.flags.remove("fuzzy")
        if changed:
            po.save(str(po_path))
    for where, msgid in missing:
        print(f"MISSING {where}: {msgid!r}")


if __name__ == "__main__":
    main(sys.argv[1])
