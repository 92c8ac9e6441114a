"""Helpers shared by tests. Kept free of app imports (the core depends on nothing)."""

from __future__ import annotations

from stdnum.cn import ric


def make_id_number(area: str = "320114", birth: str = "19800101", seq: int = 1) -> str:
    """A mainland id number with a valid check digit (GB 11643)."""
    body = f"{area}{birth}{seq:03d}"
    # calc_check_digit expects the number with a placeholder check digit
    return body + ric.calc_check_digit(body + "0")
