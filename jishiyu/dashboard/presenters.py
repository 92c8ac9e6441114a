"""One shape of the figures for the chart (JSON), the table and the .xlsx export."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _

from jishiyu.dashboard.selectors import FigureRow, Figures
from jishiyu.regions.models import Region

# The column keys in display order; tag columns follow them.
COLUMNS = ("residents", "households", "dwellings", "verified_accounts")


def column_labels() -> dict[str, str]:
    return {
        "residents": _("Residents"),
        "households": _("Households"),
        "dwellings": _("Dwellings"),
        "verified_accounts": _("Verified accounts"),
    }


def _region(region: Region) -> dict[str, Any]:
    return {"id": region.pk, "name": region.name, "kind": region.kind}


def _row(row: FigureRow) -> dict[str, Any]:
    return {
        "region": _region(row.region),
        "residents": row.residents,
        "households": row.households,
        "dwellings": row.dwellings,
        "verified_accounts": row.verified_accounts,
        "tags": row.tags,
        "drillable": row.drillable,
    }


def figures_payload(figures: Figures) -> dict[str, Any]:
    """The JSON the chart reads."""
    return {
        "region": _region(figures.region),
        "ancestors": [_region(r) for r in figures.ancestors],
        "rows": [_row(r) for r in figures.rows],
        "total": _row(figures.total),
        "tags": [{"tag": value, "label": label} for value, label in figures.tags],
        "labels": column_labels(),
    }


def table_headers(figures: Figures) -> list[str]:
    labels = column_labels()
    return [_("Region"), *(labels[c] for c in COLUMNS), *(label for _value, label in figures.tags)]


def _cells(row: FigureRow, tags: Sequence[tuple[str, str]]) -> list[Any]:
    return [
        row.residents,
        row.households,
        row.dwellings,
        row.verified_accounts,
        *(row.tags.get(value, 0) for value, _label in tags),
    ]


def table_rows(figures: Figures) -> Iterator[list[Any]]:
    """Rows of the table and the export: one per child, then the node's total."""
    for row in figures.rows:
        yield [row.region.name, *_cells(row, figures.tags)]
    yield [_("Total: %(name)s") % {"name": figures.region.name}, *_cells(figures.total, figures.tags)]
