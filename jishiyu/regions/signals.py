"""Signals of the regions app: fan-out only (caches, audit), sent after commit."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``instance`` (a Region, Building, Entrance or Dwelling), ``action`` ("create", "update",
# "move") and ``changes`` ({field: (before, after)}), after the transaction commits.
region_changed = Signal()
