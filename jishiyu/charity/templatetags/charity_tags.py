"""Template filters of the charity app: fen shown as yuan (元)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def yuan(fen: Any) -> str:
    """12345 → "123.45"; 100000 → "1,000" (whole yuan without decimals)."""
    try:
        value = int(fen)
    except (TypeError, ValueError):
        return ""
    sign = "-" if value < 0 else ""
    whole, cents = divmod(abs(value), 100)
    return f"{sign}{whole:,}" + (f".{cents:02d}" if cents else "")


@register.filter
def percent(part: Any, whole: Any) -> int:
    try:
        return min(100, round(100 * int(part) / int(whole))) if int(whole) else 0
    except (TypeError, ValueError):
        return 0
