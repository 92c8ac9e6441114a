"""The audit diff turns numpy scalars into plain Python values before comparing and storing them."""

from __future__ import annotations

import json

import numpy as np

from jishiyu.audit.registry import AuditedModel, diff, plain

SPEC = AuditedModel("circles.Facility")


def test_numpy_scalars_become_plain_python_values() -> None:
    assert type(plain(np.float64(1.5))) is float
    assert type(plain(np.int64(3))) is int
    assert type(plain(np.bool_(True))) is bool
    assert plain(np.array([1, 2])) == [1, 2]


def test_a_numpy_value_equal_to_the_stored_one_is_not_a_change() -> None:
    assert diff(SPEC, {"lon": 118.5, "n": 3}, {"lon": np.float64(118.5), "n": np.int64(3)}) == {}


def test_a_changed_numpy_value_is_recorded_as_plain_json() -> None:
    changes = diff(
        SPEC, {"lon": 118.5, "n": 3, "ok": False}, {"lon": np.float64(118.75), "n": np.int64(4), "ok": np.bool_(True)}
    )
    assert changes == {
        "lon": {"before": 118.5, "after": 118.75},
        "n": {"before": 3, "after": 4},
        "ok": {"before": False, "after": True},
    }
    assert type(changes["lon"]["after"]) is float and type(changes["n"]["after"]) is int
    json.dumps(changes)  # no numpy type left to trip the encoder
