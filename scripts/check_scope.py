#!/usr/bin/env python
"""Gate: scope decisions are made only in the apps' policy and selector modules.

    python scripts/check_scope.py [PATH ...]   list file:line of every scope primitive called elsewhere

The scope primitives answer "which regions are mine" and "may I do this anywhere" (and a hand-written
``path__startswith`` / ``path__gte``-``path__lt`` filter is the subtree rule written again); called from a view,
a form, a service or a shell they become a second, hand-written scope rule beside the app's policy
(issue 13: "one way to do each thing"). They may be called only in

- an app's ``permissions.py`` (its policy objects) or ``selectors.py`` (its scoped reads),
- the modules that define them (``jishiyu/core/scope.py``, ``jishiyu/accounts/models.py``),
- tests.

Everything else asks the owning app's policy or selector (``ScopePolicy.queryset/get/require``, an app's
``may_*`` rule, or ``jishiyu.core.scope.holds_anywhere`` for "may I act on this kind at all").

The calls older code still makes are listed, per file, in ``scripts/scope_baseline.txt``: a listed file
may keep at most that many while they are moved; a new call anywhere else fails. Exit status 1 when a
call is refused; a file now below its baseline is only mentioned (lower its line).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent

# Called as a method (user.has_perm_anywhere(...)) or a function (subtree_q(...), scope.subtree_q(...)).
PRIMITIVES = frozenset({"has_perm_anywhere", "regions_for", "region_paths_for", "subtree_q"})
# A hand-written subtree filter on a materialised path (filter(region__path__startswith=...), the
# path__gte/path__lt range): subtree_q written out again. Exact paths (path__in, path=) are not subtrees.
SUBTREE_LOOKUPS = ("path__startswith", "path__gte", "path__gt", "path__lt", "path__lte", "path__range")

POLICY_MODULES = frozenset({"permissions.py", "selectors.py"})
DEFINING_MODULES = frozenset({"jishiyu/core/scope.py", "jishiyu/accounts/models.py"})
DEFAULT_PATHS = ("jishiyu", "config")
BASELINE = ROOT / "scripts" / "scope_baseline.txt"


class Offence(NamedTuple):
    path: str
    line: int
    name: str

    def __str__(self) -> str:
        what = f"{self.name}()" if self.name in PRIMITIVES else f"a {self.name}"
        return (
            f"{self.path}:{self.line}: {what} outside a policy or selector module; "
            "ask the owning app's permissions.py or selectors.py instead"
        )


def is_allowed(path: Path) -> bool:
    """Policy and selector modules, the defining modules and tests may call the primitives."""
    rel = path.resolve().relative_to(ROOT).as_posix() if path.resolve().is_relative_to(ROOT) else path.as_posix()
    parts = rel.split("/")
    if path.name in POLICY_MODULES or rel in DEFINING_MODULES:
        return True
    return "tests" in parts[:-1] or path.name.startswith("test_") or path.name == "conftest.py"


def calls_in(source: str) -> Iterator[tuple[int, str]]:
    """(line, name) of each call of a scope primitive in the source."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if name in PRIMITIVES:
            yield node.lineno, name
        elif any(k.arg and k.arg.endswith(SUBTREE_LOOKUPS) for k in node.keywords):
            yield node.lineno, "path__ subtree filter"


def python_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.py") if "migrations" not in p.parts)
        elif path.suffix == ".py":
            yield path


def offences(paths: Iterable[Path]) -> list[Offence]:
    """Every call of a scope primitive outside the modules allowed to make it."""
    found: list[Offence] = []
    for path in python_files(paths):
        if is_allowed(path):
            continue
        shown = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
        for line, name in calls_in(path.read_text(encoding="utf-8")):
            found.append(Offence(str(shown), line, name))
    return found


def load_baseline(path: Path = BASELINE) -> dict[str, int]:
    """``{file: calls tolerated}`` from the baseline ("path count" lines, # comments)."""
    baseline: dict[str, int] = {}
    if not path.exists():
        return baseline
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            name, count = line.rsplit(maxsplit=1)
            baseline[name] = int(count)
    return baseline


def check(paths: Iterable[Path], baseline: dict[str, int]) -> tuple[list[Offence], dict[str, tuple[int, int]]]:
    """(refused calls, ``{file: (now, baseline)}`` for files below their baseline).

    A file's calls are all refused once they outnumber its baseline, so the message shows where they are.
    """
    by_file: dict[str, list[Offence]] = {}
    for offence in offences(paths):
        by_file.setdefault(offence.path, []).append(offence)
    refused = [o for name, found in by_file.items() if len(found) > baseline.get(name, 0) for o in found]
    below = {
        name: (len(by_file.get(name, [])), allowed)
        for name, allowed in baseline.items()
        if len(by_file.get(name, [])) < allowed and (ROOT / name).exists()
    }
    return refused, below


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [ROOT / p for p in DEFAULT_PATHS]
    refused, below = check(paths, load_baseline() if not argv else {})
    for name, (now, allowed) in sorted(below.items()):
        print(f"{name}: {now} scope call(s), the baseline allows {allowed}: lower its line in {BASELINE.name}")
    for offence in sorted(refused):
        print(offence)
    if refused:
        print(f"{len(refused)} scope decision(s) outside policies and selectors (see CONTRIBUTING.md, 'Scope').")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
