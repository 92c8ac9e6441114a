"""Writes of the circles app (幸福圈): facilities, imports, networks, coverage runs."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from jishiyu.audit.services import audit_record_bulk
from jishiyu.circles import conf
from jishiyu.circles.catalogue import parse_osm_tags, tag_map_of
from jishiyu.circles.models import BuildingCoverage, Category, Circle, CoverageRun, Facility, Network
from jishiyu.circles.network import Network as Graph
from jishiyu.circles.network import coverage
from jishiyu.circles.permissions import facility_policy, run_policy
from jishiyu.circles.selectors import network_for, network_graph
from jishiyu.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from jishiyu.core.scope import holds_anywhere
from jishiyu.people.models import Residence
from jishiyu.regions.models import Building, Region
from jishiyu.regions.permissions import region_policy

# ------------------------------------------------------------------------------------------- networks


def network_store(*, region: Region, graph: Graph, name: str, source: str = "") -> Network:
    """Keep a walking network for a region (no actor: demo data and the import command)."""
    coo = graph.matrix.tocoo()
    keep = coo.row < coo.col
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer, ids=graph.node_ids, lon=graph.lon, lat=graph.lat, u=coo.row[keep], v=coo.col[keep], w=coo.data[keep]
    )
    return Network.objects.create(
        region=region, name=name, source=source, nodes=graph.n, edges=graph.edge_count, data=buffer.getvalue()
    )


# ------------------------------------------------------------------------------------------ catalogue

CATALOGUE_PERMISSION = "circles.catalogue"


def may_edit_catalogue(actor: Any) -> bool:
    """Whether the actor edits the facility catalogue (the district: "circles.catalogue")."""
    return holds_anywhere(actor, CATALOGUE_PERMISSION)


@transaction.atomic
def category_update(
    *, actor: Any, category_id: int, name: str, circle_id: Any, osm_tags: str = "", active: bool = True
) -> Category:
    """Change a catalogue category (修改设施类别): name, circle, OSM tags, active."""
    if not may_edit_catalogue(actor):
        raise PermissionDenied()
    category = Category.objects.select_for_update().filter(pk=category_id).first()
    if category is None:
        raise NotFound()
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("This field is required.")]
    circle = Circle.objects.filter(pk=circle_id).first() if str(circle_id or "").isdigit() else None
    if circle is None:
        errors["circle"] = [_("Choose a life circle.")]
    try:
        pairs = parse_osm_tags(osm_tags)
    except ValueError as exc:
        errors["osm_tags"] = [_("Write each tag as key=value: “%(line)s”.") % {"line": str(exc)[:60]}]
        pairs = []
    if errors:
        raise ValidationFailed(errors)
    category.name = name[:100]
    category.circle = circle  # type: ignore[assignment]
    category.osm_tags = "\n".join(f"{k}={v}" for k, v in pairs)
    category.active = bool(active)
    category.save()
    return category


def catalogue_tag_map() -> dict[str, Any]:
    """The OSM tag → category mapping of the active catalogue as the district edited it."""
    rows = list(Category.objects.filter(active=True).order_by("circle__order", "code").values_list("code", "osm_tags"))
    return tag_map_of([(code, tags) for code, tags in rows if tags])


# ----------------------------------------------------------------------------------------- facilities


def _category(code: str, field: str = "category") -> Category:
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        raise ValidationFailed({field: [_("The catalogue has no active category “%(code)s”.") % {"code": code}]})
    return category


def _check_point(lon: Any, lat: Any) -> tuple[float, float]:
    errors: dict[str, list[str]] = {}
    values: dict[str, float] = {}
    for field, value, low, high in (("lon", lon, -180, 180), ("lat", lat, -90, 90)):
        try:
            number = float(value)
        except (TypeError, ValueError):
            errors[field] = [_("Give a number.")]
            continue
        if not low <= number <= high:
            errors[field] = [_("Out of range.")]
        values[field] = number
    if errors:
        raise ValidationFailed(errors)
    return values["lon"], values["lat"]


def _community(actor: Any, region_id: int) -> Region:
    region = region_policy.get(actor, "circles.change", pk=region_id)  # NotFound outside scope
    if region.kind not in (Region.Kind.COMMUNITY, Region.Kind.STREET, Region.Kind.DISTRICT):
        raise ValidationFailed({"region": [_("Choose a community, street or district.")]})
    return region


def _snap_check(region: Region, lon: float, lat: float, field: str = "lon") -> None:
    record = network_for(region)
    if record is None:
        return
    _node, gap = network_graph(record).snap([lon], [lat])
    if gap[0] > conf.max_snap():
        raise ValidationFailed(
            {
                field: [
                    _("This point is %(m)d m from the walking network (at most %(max)d m).")
                    % {"m": int(gap[0]), "max": int(conf.max_snap())}
                ]
            }
        )


@transaction.atomic
def facility_create(
    *, actor: Any, region_id: int, category: str, name: str, lon: Any, lat: Any, source: str = Facility.Source.STAFF
) -> Facility:
    """Add a facility (新增设施) and recompute coverage after commit."""
    region = _community(actor, region_id)
    cat = _category(category)
    x, y = _check_point(lon, lat)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": [_("This field is required.")]})
    _snap_check(region, x, y)
    facility = Facility.objects.create(category=cat, region=region, name=name[:200], lon=x, lat=y, source=source)
    _recompute_later(actor, region)
    return facility


@transaction.atomic
def facility_update(*, actor: Any, facility_id: int, **changes: Any) -> Facility:
    """Change a facility (修改设施): category, name, position, active."""
    facility = facility_policy.get(actor, "circles.view", pk=facility_id)
    facility_policy.require(actor, "circles.change", facility)
    if "category" in changes and changes["category"] is not None:
        facility.category = _category(changes["category"])
    if changes.get("name") is not None:
        if not changes["name"].strip():
            raise ValidationFailed({"name": [_("This field is required.")]})
        facility.name = changes["name"].strip()[:200]
    if changes.get("lon") is not None or changes.get("lat") is not None:
        facility.lon, facility.lat = _check_point(changes.get("lon", facility.lon), changes.get("lat", facility.lat))
        _snap_check(facility.region, facility.lon, facility.lat)
    if changes.get("active") is not None:
        facility.active = bool(changes["active"])
        facility.retired_at = None  # staff decided: an import no longer switches it back on
    facility.save()
    _recompute_later(actor, facility.region)
    return facility


@transaction.atomic
def facility_delete(*, actor: Any, facility_id: int) -> None:
    """Remove a facility (删除设施)."""
    facility = facility_policy.get(actor, "circles.view", pk=facility_id)
    facility_policy.require(actor, "circles.change", facility)
    region = facility.region
    facility.delete()
    _recompute_later(actor, region)


HEADER_ALIASES = {
    "category": {"category", "类别", "类别代码"},
    "name": {"name", "名称"},
    "lon": {"lon", "经度", "longitude"},
    "lat": {"lat", "纬度", "latitude"},
    "id": {"id", "编号"},
}


def read_table(filename: str, content: bytes) -> list[list[Any]]:
    """Rows of a .csv or .xlsx upload (first row is the header)."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception:
            raise ValidationFailed({"file": [_("This is not a readable .xlsx file.")]}) from None
        return [list(row) for row in sheet.iter_rows(values_only=True)] if sheet is not None else []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed({"file": [_("Save the CSV file as UTF-8.")]}) from None
    return [row for row in csv.reader(io.StringIO(text))]


@dataclass(frozen=True)
class ImportCounts:
    """What a bulk import of facilities did (导入结果): rows created, updated, unchanged and rejected."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    retired: int = 0  # switched off: a newer extract no longer holds them


def _import_values(facility: Facility) -> tuple[Any, ...]:
    return facility.category_id, facility.name, facility.lon, facility.lat


def _upsert(region: Region, source: str, rows: list[Facility]) -> ImportCounts:
    """Create the new facilities; a row whose external id the region already holds from the same source
    updates that facility instead, so importing a file or an extract again does not duplicate it."""
    ids = [f.external_id for f in rows if f.external_id]
    existing = {
        f.external_id: f
        for f in Facility.objects.filter(region=region, source=source, external_id__in=ids).order_by("pk")
    }
    fresh: list[Facility] = []
    changed: list[Facility] = []
    unchanged = 0
    now = timezone.now()
    for row in rows:
        old = existing.get(row.external_id) if row.external_id else None
        if old is None:
            fresh.append(row)
        elif _import_values(old) == _import_values(row) and old.retired_at is None:
            unchanged += 1
        else:
            old.category, old.name, old.lon, old.lat, old.updated_at = row.category, row.name, row.lon, row.lat, now
            if old.retired_at is not None:  # back in the source: on again (staff's own switch-offs stay off)
                old.active, old.retired_at = True, None
            changed.append(old)
    Facility.objects.bulk_create(fresh)
    if changed:  # bulk_update leaves auto_now alone: updated_at is set above
        Facility.objects.bulk_update(changed, ["category", "name", "lon", "lat", "active", "retired_at", "updated_at"])
    return ImportCounts(created=len(fresh), updated=len(changed), unchanged=unchanged)


def _audit_import(
    *, actor: Any, region: Region, kind: str, filename: str, counts: ImportCounts, outcome: str = "ok", **extra: Any
) -> None:
    """One summary audit entry per bulk import (bulk writes send no signals): who, which file, the counts."""
    from pathlib import PurePath

    audit_record_bulk(
        action="import",
        object_type="circles.facility",
        count=counts.created + counts.updated,
        region_path=region.path,
        details={
            "kind": kind,
            "file": PurePath(str(filename)).name[:120],
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
            "rejected": counts.rejected,
            "retired": counts.retired,
            **extra,
        },
        actor=actor,
        outcome=outcome,
    )


def facility_import(*, actor: Any, region_id: int, filename: str, content: bytes) -> ImportCounts:
    """Import facilities from .csv/.xlsx (导入设施): columns category,name,lon,lat[,id]; all rows or none.

    A row whose id the community already holds from an earlier file updates that facility. Every import the
    actor may make is audited once, a refused one too (outcome "rejected": nothing was written)."""
    region = _community(actor, region_id)
    rejected = 0
    try:
        with transaction.atomic():
            rows, problems = _read_facility_rows(region, filename, content)
            rejected = len(problems)
            if problems:
                raise ValidationFailed({"file": problems[:20]})
            counts = _upsert(region, Facility.Source.FILE, rows)
            _audit_import(actor=actor, region=region, kind="file", filename=filename, counts=counts)
            _recompute_later(actor, region)
    except ValidationFailed:
        _audit_import(
            actor=actor,
            region=region,
            kind="file",
            filename=filename,
            counts=ImportCounts(rejected=rejected),
            outcome="rejected",
        )
        raise
    return counts


def _id_text(value: Any) -> str:
    """An id cell as text: a spreadsheet's 17.0 is the id 17."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()[:64]


def _read_facility_rows(region: Region, filename: str, content: bytes) -> tuple[list[Facility], list[str]]:
    """The facilities of an upload and a message per rejected row."""
    rows = read_table(filename, content)
    if not rows:
        raise ValidationFailed({"file": [_("The file is empty.")]})
    header = [str(h or "").strip().lower() for h in rows[0]]
    columns: dict[str, int] = {}
    for key, aliases in HEADER_ALIASES.items():
        for i, h in enumerate(header):
            if h in aliases:
                columns[key] = i
    missing = [k for k in ("category", "name", "lon", "lat") if k not in columns]
    if missing:
        raise ValidationFailed({"file": [_("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)}]})
    known = {c.code: c for c in Category.objects.filter(active=True)}
    record = network_for(region)
    graph = network_graph(record) if record else None
    problems: list[str] = []
    facilities: list[Facility] = []
    seen: dict[str, int] = {}  # id → first row
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell not in (None, "") for cell in row):
            continue

        def cell(key: str, row: list[Any] = row) -> Any:
            i = columns.get(key)
            return row[i] if i is not None and i < len(row) else None

        code = str(cell("category") or "").strip()
        if code not in known:
            problems.append(_("Row %(row)d: the catalogue has no category “%(code)s”.") % {"row": number, "code": code})
            continue
        try:
            x, y = _check_point(cell("lon"), cell("lat"))
        except ValidationFailed:
            problems.append(_("Row %(row)d: no valid coordinates.") % {"row": number})
            continue
        if graph is not None:
            _node, gap = graph.snap([x], [y])
            if gap[0] > conf.max_snap():
                problems.append(_("Row %(row)d: %(m)d m from the walking network.") % {"row": number, "m": int(gap[0])})
                continue
        external_id = _id_text(cell("id"))
        if external_id and external_id in seen:
            problems.append(
                _("Row %(row)d: the id “%(id)s” was already given in row %(first)d.")
                % {"row": number, "id": external_id, "first": seen[external_id]}
            )
            continue
        if external_id:
            seen[external_id] = number
        name = str(cell("name") or "").strip() or known[code].name
        facilities.append(
            Facility(
                category=known[code],
                region=region,
                name=name[:200],
                lon=x,
                lat=y,
                source=Facility.Source.FILE,
                external_id=external_id,
            )
        )
    return facilities, problems


@transaction.atomic
def facilities_from_osm(
    *, region: Region, path: str, bbox: tuple[float, float, float, float] | None = None, graph: Graph | None = None
) -> ImportCounts:
    """Facilities from an OpenStreetMap extract through the catalogue's tags (no actor: a command).

    A feature already imported into the region (same OSM id) is updated, not duplicated; one lying farther
    than the snapping limit from the walking network (``graph``, else the region's stored one) or without a
    position is rejected. A facility an earlier extract gave that this one (within ``bbox``, if given) no
    longer holds is switched off and marked ``retired_at``; it comes back on if a later extract holds it
    again. The import is audited once."""
    import getpass

    from jishiyu.circles.osm import read_facilities

    known = {c.code: c for c in Category.objects.filter(active=True)}
    if graph is None:
        record = network_for(region)
        graph = network_graph(record) if record else None
    found = [f for f in read_facilities(path, catalogue_tag_map(), bbox) if f.category in known]
    placed = np.array([np.isfinite(f.lon) and np.isfinite(f.lat) for f in found], dtype=bool)
    if graph is not None and graph.n and placed.any():
        _nodes, gaps = graph.snap([f.lon for f in found], [f.lat for f in found])
        placed &= np.nan_to_num(gaps, nan=np.inf) <= conf.max_snap()
    rows = [
        Facility(
            category=known[f.category],
            region=region,
            name=(f.name or known[f.category].name)[:200],
            lon=f.lon,
            lat=f.lat,
            source=Facility.Source.OSM,
            external_id=f.osm_id[:64],
        )
        for f, ok in zip(found, placed.tolist(), strict=True)
        if ok
    ]
    counts = _upsert(region, Facility.Source.OSM, rows)
    retired = _retire_gone(region, set(known), {f.osm_id[:64] for f in found}, bbox)
    counts = ImportCounts(
        counts.created, counts.updated, counts.unchanged, rejected=len(found) - len(rows), retired=retired
    )
    try:
        operator = getpass.getuser()
    except (KeyError, OSError):  # no name for the process's user
        operator = ""
    _audit_import(
        actor=None,
        region=region,
        kind="osm",
        filename=path,
        counts=counts,
        command="circles_import_osm",
        os_user=operator,
    )
    return counts


def _retire_gone(
    region: Region, categories: set[str], present: set[str], bbox: tuple[float, float, float, float] | None
) -> int:
    """Switch off the region's OSM facilities the extract no longer holds. The extract speaks only for the
    categories it was read for (the active ones) and, cut to a box, only for what lies inside it. Returns
    how many were switched off."""
    gone = Facility.objects.filter(
        region=region, source=Facility.Source.OSM, active=True, category__code__in=categories
    ).exclude(external_id__in=present)
    if bbox is not None:
        west, south, east, north = bbox
        gone = gone.filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)
    now = timezone.now()
    return gone.update(active=False, retired_at=now, updated_at=now)


# ------------------------------------------------------------------------------------------- coverage


def _recompute_later(actor: Any, region: Region) -> None:
    """After commit, queue a coverage run for the district containing the region (facilities changed)."""
    district = _root(region)
    transaction.on_commit(lambda: coverage_queue(region=district, requested_by=actor))


def _root(region: Region) -> Region:
    first = region.path.strip("/").split("/")[0]
    return Region.objects.get(pk=int(first)) if first.isdigit() else region


def coverage_request(*, actor: Any, region_id: int) -> CoverageRun:
    """Ask for a new coverage computation (重新计算覆盖) of a region the actor may change."""
    region = _community(actor, region_id)
    return coverage_queue(region=region, requested_by=actor)


def coverage_queue(*, region: Region, requested_by: Any = None) -> CoverageRun:
    """Create a run and hand it to the background worker."""
    from jishiyu.circles.tasks import coverage_task

    user = requested_by if getattr(requested_by, "is_authenticated", False) else None
    run = CoverageRun.objects.create(region=region, requested_by=user)
    coverage_task(run.pk)
    return run


def _progress(run: CoverageRun, value: int, status: str | None = None, message: str = "") -> None:
    fields: dict[str, Any] = {"progress": value}
    if status:
        fields["status"] = status
    if message:
        fields["message"] = message
    if status in (CoverageRun.Status.DONE, CoverageRun.Status.FAILED):
        fields["finished_at"] = timezone.now()
    CoverageRun.objects.filter(pk=run.pk).update(**fields)


def people_by_building(buildings: Iterable[int]) -> dict[int, int]:
    """Residents per building (people.Residence rows, each person once)."""
    rows = (
        Residence.objects.filter(dwelling__building_id__in=list(buildings))
        .values("dwelling__building_id")
        .annotate(n=Count("person_id", distinct=True))
    )
    return {r["dwelling__building_id"]: r["n"] for r in rows}


def coverage_compute(run_id: int) -> CoverageRun:
    """Compute a run (the background task's body): distance from each residential building to each category."""
    run = CoverageRun.objects.select_related("region").get(pk=run_id)
    _progress(run, 1, CoverageRun.Status.RUNNING)
    try:
        record = network_for(run.region)
        if record is None:
            raise DomainError(_("No walking network covers this region yet."))
        graph = network_graph(record)
        _progress(run, 10)
        buildings = list(
            Building.objects.filter(
                region__path__startswith=run.region.path, lon__isnull=False, lat__isnull=False
            ).values_list("pk", "lon", "lat")
        )
        people = people_by_building(b[0] for b in buildings)
        buildings = [b for b in buildings if people.get(b[0], 0) > 0]
        categories = list(Category.objects.filter(active=True).select_related("circle"))
        facilities = list(
            Facility.objects.filter(active=True, region__path__startswith=_root(run.region).path).values_list(
                "category_id", "lon", "lat"
            )
        )
        b_nodes = (
            graph.snap([float(b[1] or 0) for b in buildings], [float(b[2] or 0) for b in buildings])[0]
            if buildings
            else np.zeros(0, dtype=np.int64)
        )
        f_nodes: Any = graph.snap([f[1] for f in facilities], [f[2] for f in facilities])[0] if facilities else []
        weights = np.array([people[b[0]] for b in buildings], dtype=np.int64)
        limit = max(conf.distance_for(c.circle.minutes) for c in categories) if categories else 0.0
        rows: list[BuildingCoverage] = []
        for i, category in enumerate(categories):
            nodes = np.array([f_nodes[j] for j, f in enumerate(facilities) if f[0] == category.pk], dtype=np.int64)
            metres = coverage(graph, np.asarray(b_nodes), weights, {category.code: nodes}, (), limit=limit)[
                category.code
            ].metres
            threshold = conf.distance_for(category.circle.minutes)
            for (pk, _lon, _lat), m, w in zip(buildings, metres.tolist(), weights.tolist(), strict=True):
                finite = m != float("inf")
                rows.append(
                    BuildingCoverage(
                        run=run,
                        building_id=pk,
                        category=category,
                        people=w,
                        metres=round(m, 1) if finite else None,
                        covered=finite and m <= threshold,
                    )
                )
            _progress(run, 10 + int(80 * (i + 1) / max(len(categories), 1)))
        with transaction.atomic():
            BuildingCoverage.objects.bulk_create(rows, batch_size=5000)
            CoverageRun.objects.filter(region=run.region, status=CoverageRun.Status.DONE).exclude(pk=run.pk).delete()
            CoverageRun.objects.filter(pk=run.pk).update(network=record)
        _progress(run, 100, CoverageRun.Status.DONE)
    except DomainError as exc:
        _progress(run, 100, CoverageRun.Status.FAILED, str(exc.message))
    except Exception as exc:  # the worker must record a failure, not lose it
        _progress(run, 100, CoverageRun.Status.FAILED, type(exc).__name__)
        raise
    run.refresh_from_db()
    return run


def run_get(*, actor: Any, run_id: int) -> CoverageRun:
    return run_policy.get(actor, "circles.view", pk=run_id)
