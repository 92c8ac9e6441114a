"""Per-process memos of configuration rows: built once, built again after a change here, in another
process (the shared cache's version) or after their age."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from jishiyu.core import memo as memo_module
from jishiyu.core.memo import Memo

pytestmark = pytest.mark.django_db  # clear() also acts after commit


def counting_memo(name: str, **kwargs: Any) -> tuple[Memo[int], list[int]]:
    loads: list[int] = []

    def load() -> int:
        loads.append(1)
        return len(loads)

    return Memo(name, load, **kwargs), loads


def test_a_memo_loads_once_and_again_after_a_change_here() -> None:
    memo, loads = counting_memo("test.here")
    assert (memo.get(), memo.get()) == (1, 1)
    memo.clear()
    assert memo.get() == 2 and len(loads) == 2


def test_a_change_in_another_process_is_seen_through_the_shared_version(monkeypatch: Any) -> None:
    memo, _loads = counting_memo("test.other")
    assert memo.get() == 1
    key = "memo:test.other:version"
    cache.set(
        key, (cache.get(key) or 0) + 1, None
    )  # what clear() in another process does (a shared cache keeps old values)
    assert memo.get() == 1  # checked at most every CHECK_SECONDS
    monkeypatch.setattr(memo_module, "CHECK_SECONDS", 0.0)
    assert memo.get() == 2


def test_a_memo_is_built_again_once_it_is_older_than_its_age() -> None:
    memo, _loads = counting_memo("test.age", max_age=0.0)
    assert (memo.get(), memo.get()) == (1, 2)


def test_clear_all_forgets_every_memo() -> None:
    memo, _loads = counting_memo("test.all")
    memo.get()
    memo_module.clear_all()
    assert memo.get() == 2
