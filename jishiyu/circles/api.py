"""JSON API of the circles app (mounted under /api/v1/circles): coverage per community, facilities CRUD for staff,
near-me for residents, dashboard figures. Thin: parse, call a selector or service, answer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate
from ninja.params.functions import Query  # ninja.Query, typed as a function (to mypy, ninja.Query is Annotated)

from jishiyu.circles import selectors, services, streets
from jishiyu.circles.models import CoverageRun, Facility
from jishiyu.circles.schemas import CoverageRequestIn, FacilityCreateIn, FacilityOut, FacilityUpdateIn, RunOut
from jishiyu.core.api import PageNumberPagination
from jishiyu.core.errors import NotFound
from jishiyu.regions.maps import bbox_param

router = Router(tags=["circles"])


def facility_out(f: Facility) -> dict[str, Any]:
    return {
        "id": f.pk,
        "region_id": f.region_id,
        "category": f.category.code,
        "circle": f.category.circle.code,
        "name": f.name,
        "lon": f.lon,
        "lat": f.lat,
        "source": f.source,
        "active": f.active,
        "retired_at": f.retired_at,
    }


def run_out(r: CoverageRun) -> dict[str, Any]:
    return {"id": r.pk, "region_id": r.region_id, "status": r.status, "progress": r.progress, "message": r.message}


@router.get("/map/streets", summary="The walking network's streets inside a box (GeoJSON), for the maps")
def map_streets(request: HttpRequest, bbox: str | None = Query(None, max_length=100)) -> dict[str, Any]:
    """Streets near your regions inside ``bbox`` (west,south,east,north), at most a few thousand edges."""
    return streets.map_streets(actor=request.user, bbox=bbox_param(bbox))  # type: ignore[arg-type]


@router.get("/coverage", summary="Share of residents covered per community and circle")
def coverage(request: HttpRequest, region: int | None = None) -> dict[str, Any]:
    place = selectors.scoped_region(request.user, region)
    return selectors.circle_shares(request.user, place)


@router.get("/figures", summary="Dashboard figures: share covered per circle")
def figures(request: HttpRequest, region: int | None = None) -> dict[str, Any]:
    place = selectors.scoped_region(request.user, region)
    shares = selectors.circle_shares(request.user, place)
    totals: dict[str, list[float]] = {}
    for community in shares["communities"]:
        for code, share in community["circles"].items():
            if share is not None:
                acc = totals.setdefault(code, [0.0, 0.0])
                acc[0] += share * community["people"]
                acc[1] += community["people"]
    return {
        "region": place.pk,
        "run": shares["run"],
        "circles": [
            {
                "code": c["code"],
                "name": c["name"],
                "metres": c["metres"],
                "share": round(totals[c["code"]][0] / totals[c["code"]][1], 4)
                if c["code"] in totals and totals[c["code"]][1]
                else None,
            }
            for c in shares["circles"]
        ],
    }


@router.get("/gaps", summary="Buildings and the categories they miss")
def gaps(request: HttpRequest, region: int | None = None, circle: str | None = None) -> list[dict[str, Any]]:
    return selectors.gaps(request.user, selectors.scoped_region(request.user, region), circle)


@router.get("/sites", summary="Suggested sites for a category (greedy maximal coverage)")
def sites(request: HttpRequest, category: str, region: int | None = None, k: int = 5) -> list[dict[str, Any]]:
    return selectors.sites(request.user, selectors.scoped_region(request.user, region), category, k)


@router.get("/facilities", response=list[FacilityOut], summary="Facilities in scope")
@paginate(PageNumberPagination)
def facility_list(request: HttpRequest, region: int | None = None, category: str | None = None) -> Any:
    qs = selectors.facilities(request.user, selectors.scoped_region(request.user, region) if region else None)
    if category:
        qs = qs.filter(category__code=category)
    return [facility_out(f) for f in qs]


@router.post("/facilities", response={201: FacilityOut}, summary="Add a facility")
def facility_create(request: HttpRequest, payload: FacilityCreateIn) -> Any:
    f = services.facility_create(actor=request.user, **payload.dict())
    return Status(201, facility_out(f))


@router.patch("/facilities/{facility_id}", response=FacilityOut, summary="Change a facility")
def facility_update(request: HttpRequest, facility_id: int, payload: FacilityUpdateIn) -> Any:
    return facility_out(services.facility_update(actor=request.user, facility_id=facility_id, **payload.dict()))


@router.delete("/facilities/{facility_id}", response={204: None}, summary="Remove a facility")
def facility_delete(request: HttpRequest, facility_id: int) -> Any:
    services.facility_delete(actor=request.user, facility_id=facility_id)
    return Status(204, None)


@router.post("/runs", response={202: RunOut}, summary="Recompute coverage in the background")
def run_create(request: HttpRequest, payload: CoverageRequestIn) -> Any:
    return Status(202, run_out(services.coverage_request(actor=request.user, region_id=payload.region_id)))


@router.get("/runs/{run_id}", response=RunOut, summary="Progress of a coverage run")
def run_get(request: HttpRequest, run_id: int) -> Any:
    return run_out(services.run_get(actor=request.user, run_id=run_id))


@router.get("/near-me", summary="For a resident: what is near my home, circle by circle")
def near_me(request: HttpRequest) -> dict[str, Any]:
    result = selectors.near_me(request.user)
    if result is None:
        raise NotFound()
    return result
