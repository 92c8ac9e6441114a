#!/usr/bin/env python
"""Translation catalogues, one per app (jishiyu/<app>/locale) plus the root one (templates/, config/).

    python scripts/i18n.py update [APP ...]   refresh catalogues, keeping existing translations
    python scripts/i18n.py check              fail if any string in the code lacks a zh_Hans translation

Message ids are English; zh-hans is the default language, so every id needs a Chinese translation.
Per-app catalogues keep parallel work on different apps from colliding in one file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANG = "zh_Hans"
IGNORES = [
    "--ignore=.venv",
    "--ignore=node_modules",
    "--ignore=static/vendor",
    "--ignore=bench",
    "--ignore=jishiyu/*",
    "--ignore=var",
    "--ignore=staticfiles",
    "--ignore=scripts",
]


def _has_strings(app_dir: Path) -> bool:
    for f in app_dir.rglob("*"):
        if f.suffix in (".py", ".html", ".txt") and "migrations" not in f.parts and "tests" not in f.parts:
            text = f.read_text(encoding="utf-8", errors="ignore")
            if "gettext" in text or "{% trans" in text or "{% blocktrans" in text or "_(" in text:
                return True
    return False


def catalogue_dirs(root: Path) -> list[Path]:
    dirs = [root]
    for app in sorted((root / "jishiyu").iterdir()):
        if app.is_dir() and (app / "apps.py").exists() and _has_strings(app):
            dirs.append(app)
    return dirs


def makemessages(root: Path, where: Path) -> None:
    (where / "locale").mkdir(exist_ok=True)
    args = [
        sys.executable,
        str(root / "manage.py"),
        "makemessages",
        "-l",
        LANG,
        "--no-obsolete",
        "-v",
        "0",
        "--ignore=tests",
        "--ignore=migrations",
    ]
    if where == root:
        args += IGNORES
    subprocess.run(args, cwd=where, check=True)


def update(names: list[str]) -> None:
    for where in catalogue_dirs(ROOT):
        label = "root" if where == ROOT else where.name
        if names and label not in names:
            continue
        makemessages(ROOT, where)
        print(f"updated {where.relative_to(ROOT) if where != ROOT else 'root'}")


def _inconsistent(root: Path) -> list[str]:
    """Django merges every catalogue into one: a msgid translated two ways shows whichever app
    loads first. One English word, one Chinese word (use pgettext for true homonyms)."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for po_path in sorted(root.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(po_path)):
            if entry.msgstr and not entry.obsolete:
                key = (entry.msgctxt, entry.msgid)
                seen.setdefault(key, {})[entry.msgstr] = str(po_path.relative_to(root))
    return [
        f"inconsistent: {msgid!r} is translated as " + "; ".join(f"{s!r} in {w}" for s, w in versions.items())
        for (_ctx, msgid), versions in seen.items()
        if len(versions) > 1
    ]


def check() -> int:
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "src"
        shutil.copytree(
            ROOT,
            copy,
            ignore=shutil.ignore_patterns(
                ".venv", "node_modules", ".git", "var", "*.pyc", "__pycache__", "staticfiles"
            ),
        )
        for where in catalogue_dirs(copy):
            makemessages(copy, where)
            po_path = where / "locale" / LANG / "LC_MESSAGES" / "django.po"
            label = str(where.relative_to(copy)) if where != copy else "root"
            if not po_path.exists():
                continue
            for entry in polib.pofile(str(po_path)):
                if entry.obsolete:
                    continue
                missing = not entry.msgstr and not any(entry.msgstr_plural.values())
                if missing or entry.fuzzy:
                    where_from = entry.occurrences[0][0] if entry.occurrences else "?"
                    state = "fuzzy" if entry.fuzzy else "untranslated"
                    problems.append(f"{label}: {state}: {entry.msgid!r} ({where_from})")
        problems += _inconsistent(copy)
    for p in problems:
        print(p)
    if problems:
        print(
            f"\n{len(problems)} string(s) lack a zh_Hans translation: run `python scripts/i18n.py update APP`, "
            "fill in msgstr, and remove any fuzzy flag."
        )
        return 1
    print("translations: complete")
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "check"
    if cmd == "update":
        update(sys.argv[2:])
    elif cmd == "check":
        sys.exit(check())
    else:
        print(__doc__)
        sys.exit(2)
