"""Reads of the region tree."""

from __future__ import annotations

from django.db.models import QuerySet

from jishiyu.core.scope import PATH_END
from jishiyu.regions.models import Region


def region_subtree(region: Region, *, include_self: bool = True) -> QuerySet[Region]:
    """The node and everything under it: one index range on ``path``."""
    qs = Region.objects.filter(path__gte=region.path, path__lt=region.path + PATH_END)
    return qs if include_self else qs.exclude(pk=region.pk)


def region_ancestors(region: Region) -> QuerySet[Region]:
    """From the root down to the node's parent."""
    return Region.objects.filter(pk__in=region.ancestor_ids()[:-1]).order_by("depth")
