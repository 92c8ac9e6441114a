"""JSON API of the regions app (mounted under /api/v1/regions)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router
from ninja.pagination import paginate
from ninja.params.functions import Query  # ninja.Query, typed as a function (to mypy, ninja.Query is Annotated)

from jishiyu.core.api import PageNumberPagination
from jishiyu.core.errors import ValidationFailed
from jishiyu.regions import maps, selectors, services
from jishiyu.regions.models import Region
from jishiyu.regions.permissions import CHANGE, VIEW, region_policy
from jishiyu.regions.schemas import (
    AddressResolveIn,
    AddressResolveOut,
    BuildingOut,
    DwellingOut,
    RegionCreateIn,
    RegionDetailOut,
    RegionOut,
    RegionUpdateIn,
)

router = Router(tags=["regions"])


def _detail(request: HttpRequest, region_id: int) -> Region:
    region = selectors.region_get(actor=request.user, region_id=region_id)  # type: ignore[arg-type]
    region.ancestors = selectors.region_path(actor=request.user, region=region)  # type: ignore[attr-defined,arg-type]
    return region


@router.get("", response=list[RegionOut])
@paginate(PageNumberPagination)
def region_list(
    request: HttpRequest,
    parent: int | None = None,
    kind: str | None = None,
    q: str | None = Query(None, max_length=100),
) -> Any:
    """Children of ``parent``, or the roots of your scope; ``q`` searches names in your scope."""
    return selectors.region_list(actor=request.user, parent_id=parent, kind=kind, q=q)  # type: ignore[arg-type]


@router.post("", response={201: RegionDetailOut})
def region_create(request: HttpRequest, payload: RegionCreateIn) -> Any:
    """Create a node under a parent you may change."""
    parent = region_policy.get(request.user, VIEW, pk=payload.parent_id)  # type: ignore[arg-type]
    region = services.region_create(
        actor=request.user,  # type: ignore[arg-type]
        kind=payload.kind,
        name=payload.name,
        parent=parent,
        community_kind=payload.community_kind,
        codes=[("nbs", payload.nbs_code)] if payload.nbs_code else [],
        geometry=payload.geometry,
        households=payload.households,
    )
    return 201, _detail(request, region.pk)


@router.post("/resolve", response=AddressResolveOut)
def address_resolve(request: HttpRequest, payload: AddressResolveIn) -> Any:
    """Resolve a free-text address (in the body, never the URL) to the deepest place in your scope."""
    r = selectors.address_resolve(actor=request.user, address=payload.address)  # type: ignore[arg-type]
    brief = (lambda n: {"id": n.id, "name": n.name, "kind": n.kind}) if r.region else None
    return {
        "region": brief(r.region) if brief and r.region else None,
        "path": [{"id": n.id, "name": n.name, "kind": n.kind} for n in r.path] if r.region else [],
        "building": r.building,
        "entrance": r.entrance,
        "dwelling": r.dwelling,
        "confidence": r.confidence,
        "matched": r.matched,
    }


KINDS_INVALID = _("Unknown kind of region.")


@router.get("/map/extent")
def map_extent(request: HttpRequest) -> Any:
    """The box around your regions (to fit a map on) and the regions at the top of your scope."""
    return maps.map_extent(actor=request.user)  # type: ignore[arg-type]


@router.get("/map/features")
def map_features(
    request: HttpRequest,
    bbox: str | None = Query(None, max_length=100),
    kinds: str | None = Query(None, max_length=100),
    buildings: bool = False,
) -> Any:
    """GeoJSON outlines of the regions of your scope inside ``bbox`` (west,south,east,north), simplified and
    capped (``truncated`` says so); ``kinds`` picks some (comma-separated); ``buildings`` adds buildings on
    a box of at most about 4 km."""
    box = maps.bbox_param(bbox)
    wanted = [k for k in (kinds or "").split(",") if k] or None
    if wanted and any(k not in maps.KINDS for k in wanted):
        raise ValidationFailed({"kinds": KINDS_INVALID})
    return maps.map_features(actor=request.user, bbox=box, kinds=wanted, buildings=buildings)  # type: ignore[arg-type]


@router.get("/{region_id}", response=RegionDetailOut)
def region_detail(request: HttpRequest, region_id: int) -> Any:
    """One node with its codes, the names of its ancestors and its counts."""
    return _detail(request, region_id)


@router.patch("/{region_id}", response=RegionDetailOut)
def region_update(request: HttpRequest, region_id: int, payload: RegionUpdateIn) -> Any:
    """Change a node; a new ``parent_id`` moves it with its whole subtree."""
    region = region_policy.get(request.user, VIEW, pk=region_id)  # type: ignore[arg-type]
    sent = payload.model_fields_set
    changes: dict[str, Any] = {k: getattr(payload, k) for k in ("name", "community_kind", "nbs_code") if k in sent}
    if "geometry" in sent:
        changes["geometry"] = payload.geometry
    if "households" in sent:
        changes["households"] = payload.households
    if "parent_id" in sent and payload.parent_id is not None:
        changes["parent"] = region_policy.get(request.user, CHANGE, pk=payload.parent_id)  # type: ignore[arg-type]
    services.region_update(actor=request.user, region=region, **changes)  # type: ignore[arg-type]
    return _detail(request, region.pk)


@router.get("/{region_id}/buildings", response=list[BuildingOut])
@paginate(PageNumberPagination)
def building_list(request: HttpRequest, region_id: int) -> Any:
    """Buildings of a node in your scope."""
    region = selectors.region_get(actor=request.user, region_id=region_id)  # type: ignore[arg-type]
    return selectors.building_list(actor=request.user, region=region)  # type: ignore[arg-type]


@router.get("/buildings/{building_id}/dwellings", response=list[DwellingOut])
@paginate(PageNumberPagination)
def dwelling_list(request: HttpRequest, building_id: int) -> Any:
    """Dwellings of a building in your scope."""
    building = selectors.building_get(actor=request.user, building_id=building_id)  # type: ignore[arg-type]
    return selectors.dwelling_list(actor=request.user, building=building)  # type: ignore[arg-type]
