"""The make-check gate that keeps scope decisions in the policy and selector modules (scripts/check_scope.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "check_scope.py"

OFFENDING = """
def may_open(actor):
    return actor.has_perm_anywhere("people.view")


def rows(actor, qs):
    return qs.filter(subtree_q("region__path", actor.region_paths_for("people.view")))
"""


@pytest.fixture(scope="module")
def gate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_scope", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write(folder: Path, name: str, source: str = OFFENDING) -> Path:
    path = folder / name
    path.write_text(source, encoding="utf-8")
    return path


def test_a_scope_call_in_a_views_module_is_reported_with_its_line(gate: ModuleType, tmp_path: Path) -> None:
    path = write(tmp_path, "views.py")
    found = gate.offences([path])
    assert [(o.line, o.name) for o in found] == [(3, "has_perm_anywhere"), (7, "subtree_q"), (7, "region_paths_for")]
    assert all(o.path.endswith("views.py") for o in found)
    assert "views.py:3: has_perm_anywhere() outside a policy or selector module" in str(found[0])


@pytest.mark.parametrize("name", ["permissions.py", "selectors.py"])
def test_the_same_calls_in_a_policy_or_selector_module_are_not_reported(
    gate: ModuleType, tmp_path: Path, name: str
) -> None:
    assert gate.offences([write(tmp_path, name)]) == []


def test_the_same_calls_in_a_test_module_are_not_reported(gate: ModuleType, tmp_path: Path) -> None:
    folder = tmp_path / "tests"
    folder.mkdir()
    assert gate.offences([write(folder, "helpers.py"), write(tmp_path, "test_views.py")]) == []


def test_a_hand_written_subtree_filter_is_refused_and_an_exact_path_is_not(gate: ModuleType, tmp_path: Path) -> None:
    source = (
        "def rows(region):\n"
        "    a = Building.objects.filter(region__path__startswith=region.path)\n"
        "    b = Region.objects.filter(path__gte=region.path, path__lt=region.path + '~')\n"
        "    return a, b, Region.objects.filter(path__in=[region.path]), Region.objects.filter(path=region.path)\n"
    )
    found = gate.offences([write(tmp_path, "services.py", source)])
    assert [(o.line, o.name) for o in found] == [(2, "path__ subtree filter"), (3, "path__ subtree filter")]
    assert "services.py:2: a path__ subtree filter outside a policy or selector module" in str(found[0])
    assert gate.offences([write(tmp_path, "selectors.py", source)]) == []


def test_the_policy_answers_themselves_are_not_scope_primitives(gate: ModuleType, tmp_path: Path) -> None:
    source = (
        "def f(actor, obj):\n"
        "    person_policy.require(actor, 'people.change', obj)\n"
        "    return holds_anywhere(actor, 'x')\n"
    )
    assert gate.offences([write(tmp_path, "views.py", source)]) == []


def test_a_file_over_its_baseline_is_refused_and_one_under_it_is_only_mentioned(
    gate: ModuleType, tmp_path: Path
) -> None:
    path = write(tmp_path, "services.py")  # three calls
    shown = gate.offences([path])[0].path
    refused, below = gate.check([path], {shown: 2})
    assert len(refused) == 3
    refused, below = gate.check([path], {shown: 3})
    assert refused == []
    refused, below = gate.check([path], {shown: 5})
    assert refused == [] and below == {shown: (3, 5)}  # make check mentions it: lower the line


def test_the_project_makes_no_scope_call_beyond_the_baseline(gate: ModuleType) -> None:
    refused, _below = gate.check([gate.ROOT / p for p in gate.DEFAULT_PATHS], gate.load_baseline())
    assert refused == [], "\n".join(map(str, refused))


def test_the_moved_modules_make_no_scope_call_at_all(gate: ModuleType) -> None:
    moved = ["jishiyu/core/shells.py", "jishiyu/people/shell.py", "jishiyu/regions/maps.py"]
    assert gate.offences([gate.ROOT / m for m in moved]) == []
    assert not set(moved) & set(gate.load_baseline())
