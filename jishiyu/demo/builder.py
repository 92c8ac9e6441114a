"""Builds the demo district (演示城区) into the database: regions, addresses, residents, organisations,
demo accounts, then each app's own demo data (``jishiyu/<app>/demo.py``, see the command's docstring).

Rows go in with ``bulk_create`` one community at a time, so memory stays flat whatever N is; sensitive
fields are computed with the same helpers ``person_create`` uses (protect_document / protect_phone)."""

from __future__ import annotations

import importlib
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import ModuleType
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from stdnum.cn import uscc

from jishiyu.accounts.models import ApiToken, RoleAssignment, User
from jishiyu.accounts.roles import STAFF_ROLES, Role
from jishiyu.audit.services import audit_record
from jishiyu.core.pinyin import pinyin_key
from jishiyu.demo import data, layout
from jishiyu.demo.generate import HouseholdSpec, PeopleGenerator
from jishiyu.organisations.models import Membership, Organisation
from jishiyu.people.models import Consent, DataRequest, Household, Ownership, Person, PersonTag, Residence
from jishiyu.people.validation import protect_document, protect_phone
from jishiyu.regions import geometry
from jishiyu.regions.models import Building, Dwelling, Entrance, Region, RegionCode
from jishiyu.regions.services import region_bulk_create, region_create

BATCH = 5000
GRID_MIN, GRID_TARGET, GRID_MAX = 300, 400, 500
AVERAGE_HOUSEHOLD = 2.45  # residents per household the templates give on average
HALF_BUILDING = 50  # residents: cut grids half a building early so the last grid is not left short
DEMO_PHONE_PREFIX = "139000000"  # 13900000001 … in role order

# Where each demo account holds its role: the demo grid, community, street or the district.
ROLE_NODES: dict[str, str] = {
    Role.RESIDENT: "grid",
    Role.GRID_WORKER: "grid",
    Role.COMMUNITY_WORKER: "community",
    Role.SOCIAL_WORKER: "community",
    Role.COMMUNITY_SECRETARY: "community",
    Role.STREET_DISPATCHER: "street",
    Role.STREET_OFFICIAL: "street",
    Role.DISTRICT_ADMIN: "district",
    Role.DEPARTMENT_HANDLER: "district",
    Role.ORGANISATION_MEMBER: "community",
    Role.AUDITOR: "district",
    Role.SYSTEM_ADMIN: "district",
    Role.SECURITY_ADMIN: "district",
}
ACCOUNT_NAMES: dict[str, str] = {
    Role.GRID_WORKER: "陈静",
    Role.COMMUNITY_WORKER: "刘芳",
    Role.SOCIAL_WORKER: "周敏",
    Role.COMMUNITY_SECRETARY: "王建华",
    Role.STREET_DISPATCHER: "赵磊",
    Role.STREET_OFFICIAL: "孙志刚",
    Role.DISTRICT_ADMIN: "李国栋",
    Role.DEPARTMENT_HANDLER: "吴海涛",
    Role.ORGANISATION_MEMBER: "郑晓燕",
    Role.AUDITOR: "钱文斌",
    Role.SYSTEM_ADMIN: "冯振华",
    Role.SECURITY_ADMIN: "何丽华",
}


def demo_phone(role: str) -> str:
    """The demo account's phone for a role: 13900000001 for the first role, in Role order."""
    return f"{DEMO_PHONE_PREFIX}{list(Role).index(Role(role)) + 1:02d}"


def grid_count(households: float) -> int:
    """How many grids (网格) a community of this many households gets: each 300–500.

    A community of fewer than 600 households has one grid (no split gives two of 300+). The plan
    aims at 360–440 where it can, leaving room for whole buildings at the cut points."""
    if households < 2 * GRID_MIN:
        return 1
    for low, high in ((GRID_MIN + 60, GRID_MAX - 60), (GRID_MIN, GRID_MAX)):
        count = math.ceil(households / high)
        if households / count >= low:
            return count
    return max(1, round(households / GRID_TARGET))


def apportion(total: int, weights: Sequence[float], minimum: dict[int, int] | None = None) -> list[int]:
    """Split ``total`` by ``weights`` (largest remainder), honouring per-index minimums."""
    minimum = minimum or {}
    reserved = {i: min(m, total) for i, m in minimum.items()}
    rest = total - sum(reserved.values())
    whole = sum(weights)
    shares = [rest * w / whole for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[: rest - sum(counts)]:
        counts[i] += 1
    return [c + reserved.get(i, 0) for i, c in enumerate(counts)]


@dataclass
class DemoContext:
    """What each app's ``demo.build(context)`` receives."""

    seed: int
    residents: int
    as_of: date
    log: Callable[[str], None]
    district: Region | None = None
    streets: dict[str, Region] = field(default_factory=dict)  # by name
    communities: dict[str, Region] = field(default_factory=dict)  # by name
    grids: dict[str, list[Region]] = field(default_factory=dict)  # community name → grids
    compounds: dict[str, list[Region]] = field(default_factory=dict)  # community name → compounds
    accounts: dict[str, User] = field(default_factory=dict)  # by role
    organisations: dict[str, Organisation] = field(default_factory=dict)  # by name
    resident_person: Person | None = None
    counts: Counter[str] = field(default_factory=Counter)
    timings: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))

    def rng(self, name: str) -> random.Random:
        """A random generator of its own for each part, so parts do not shift each other."""
        return random.Random(f"{self.seed}:{name}")

    @property
    def demo_community(self) -> Region:
        return self.communities[data.DEMO_COMMUNITY]

    def insert(self, model: type[models.Model], objs: list[Any]) -> None:
        """bulk_create in batches, counted and timed."""
        if not objs:
            return
        started = time.perf_counter()
        for i in range(0, len(objs), BATCH):
            model._default_manager.bulk_create(objs[i : i + BATCH], batch_size=BATCH)
        self.timings["insert"] += time.perf_counter() - started
        self.counts[model._meta.label] += len(objs)


# --- app modules ---------------------------------------------------------------------------------------
def demo_modules() -> list[ModuleType]:
    """Each installed jishiyu app's ``demo`` module (apart from this app), by ORDER then app order."""
    found: list[tuple[int, int, ModuleType]] = []
    for position, config in enumerate(apps.get_app_configs()):
        if not config.name.startswith("jishiyu.") or config.name == "jishiyu.demo":
            continue
        if module_has_submodule(config.module, "demo"):
            module = importlib.import_module(f"{config.name}.demo")
            if hasattr(module, "build"):
                found.append((getattr(module, "ORDER", 100), position, module))
    return [m for _o, _p, m in sorted(found, key=lambda t: (t[0], t[1]))]


# --- build ---------------------------------------------------------------------------------------------
def district_exists() -> bool:
    return Region.objects.filter(kind=Region.Kind.DISTRICT).exists()


@transaction.atomic
def build_district(*, residents: int, seed: int, log: Callable[[str], None], as_of: date | None = None) -> DemoContext:
    """Build the whole demo district in one transaction."""
    ctx = DemoContext(seed=seed, residents=residents, as_of=as_of or date(date.today().year, 1, 1), log=log)
    started = time.perf_counter()
    build_regions(ctx)
    build_people(ctx)
    build_organisations(ctx)
    build_accounts(ctx)
    for module in demo_modules():
        log(f"module {module.__name__}")
        module.build(ctx)
    update_household_counts(ctx)
    sizes = [g.households or 0 for grids in ctx.grids.values() for g in grids]
    log(f"grids: {len(sizes)}, households per grid {min(sizes)}–{max(sizes)}")
    audit_record(
        action="create",
        object_type="demo.district",
        object_id=str(ctx.district.pk if ctx.district else ""),
        object_label=f"{data.DISTRICT_NAME} demo district",
        region_path=ctx.district.path if ctx.district else "",
        changes={"residents": residents, "seed": seed, "rows": dict(sorted(ctx.counts.items()))},
        reason="manage.py demo_district (bulk build; individual rows are not audited one by one)",
    )
    ctx.timings["total"] = time.perf_counter() - started
    return ctx


def build_regions(ctx: DemoContext) -> None:
    """The district, its streets and communities, with outlines that nest and tile (see ``layout``)."""
    rng = ctx.rng("regions")
    points = [(s.lon, s.lat) for s in data.STREETS]
    outline = layout.district_outline(points, rng)
    d_lon, d_lat = geometry.centroid(outline)
    ctx.district = region_create(
        kind=Region.Kind.DISTRICT,
        name=data.DISTRICT_NAME,
        codes=[(RegionCode.System.NBS, data.DISTRICT_CODE + "000000")],
        lon=round(d_lon, 6),
        lat=round(d_lat, 6),
        geometry=geometry.polygon_geojson(outline),
    )
    street_cells = layout.streets(outline, points)
    streets = region_bulk_create(
        ctx.district,
        [
            Region(kind=s.kind, name=s.name, lon=s.lon, lat=s.lat, geometry=geometry.polygon_geojson(cell))
            for s, cell in zip(data.STREETS, street_cells, strict=True)
        ],
    )
    codes = [
        RegionCode(region=r, code=f"{data.DISTRICT_CODE}{s.code}000")
        for r, s in zip(streets, data.STREETS, strict=True)
    ]
    by_code = {s.code: r for r, s in zip(streets, data.STREETS, strict=True)}
    ctx.streets = {r.name: r for r in streets}
    for street_spec in data.STREETS:
        specs = [c for c in data.COMMUNITIES if c.street == street_spec.code]
        nodes = []
        cells = layout.partition(street_cells[data.STREETS.index(street_spec)], len(specs), rng)
        for spec, cell in zip(specs, cells, strict=True):
            c_lon, c_lat = geometry.centroid(cell)
            nodes.append(
                Region(
                    kind=Region.Kind.COMMUNITY,
                    name=spec.name,
                    community_kind=spec.kind,
                    lon=round(c_lon, 6),
                    lat=round(c_lat, 6),
                    geometry=geometry.polygon_geojson(cell),
                )
            )
        created = region_bulk_create(by_code[street_spec.code], nodes)
        for region, spec in zip(created, specs, strict=True):
            ctx.communities[spec.name] = region
            codes.append(RegionCode(region=region, code=community_code(spec)))
    ctx.insert(RegionCode, codes)
    ctx.counts[Region._meta.label] += 1 + len(streets) + len(ctx.communities)
    ctx.log(f"regions: 1 district, {len(streets)} streets and parks, {len(ctx.communities)} communities")


def community_code(spec: data.CommunitySpec) -> str:
    return f"{data.DISTRICT_CODE}{spec.street}{spec.code}"


def build_people(ctx: DemoContext) -> None:
    specs = data.COMMUNITIES
    demo_index = next(i for i, s in enumerate(specs) if s.name == data.DEMO_COMMUNITY)
    shares = apportion(ctx.residents, [s.weight for s in specs], {demo_index: 4})
    generator = PeopleGenerator(ctx.as_of, used_ids=set())
    names_used: set[str] = set()
    tables = Tables()
    for number, (spec, residents) in enumerate(zip(specs, shares, strict=True), start=1):
        started = time.perf_counter()
        writer = CommunityWriter(ctx, spec, ctx.communities[spec.name], residents, generator, names_used, tables)
        writer.run()
        if writer.resident_id is not None:
            ctx.resident_person = Person.objects.get(pk=writer.resident_id)
        ctx.log(
            f"[{number:2d}/{len(specs)}] {spec.name}: {residents} residents, {writer.household_count} households, "
            f"{len(writer.grids)} grids, {len(writer.compounds)} compounds ({time.perf_counter() - started:.1f}s)"
        )
    tables.finish()


class Table:
    """Rows of one table with ids assigned here (the build holds the write lock), written with
    executemany (SQLite) or COPY (PostgreSQL): far cheaper than model instances and bulk_create."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]):
        self.model = model
        meta = model._meta
        self.columns: list[str] = [str(meta.pk.column), *(str(meta.get_field(f).column) for f in fields)]  # type: ignore[union-attr]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({meta.pk.column}) FROM {meta.db_table}")  # noqa: S608 (model metadata)
            self.last_id: int = cursor.fetchone()[0] or 0
        self.rows: list[tuple[Any, ...]] = []

    def add(self, *values: Any) -> int:
        self.last_id += 1
        self.rows.append((self.last_id, *values))
        return self.last_id

    def flush(self, ctx: DemoContext) -> None:
        if not self.rows:
            return
        started = time.perf_counter()
        table, columns = self.model._meta.db_table, self.columns
        qn = connection.ops.quote_name
        names = ", ".join(qn(c) for c in columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if connection.vendor == "postgresql":
                with raw.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in columns)
                sql = f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})"  # noqa: S608 (model metadata)
                for i in range(0, len(self.rows), BATCH):
                    raw.executemany(sql, self.rows[i : i + BATCH])
        ctx.timings["insert"] += time.perf_counter() - started
        ctx.counts[self.model._meta.label] += len(self.rows)
        self.rows = []


class Tables:
    """The bulk tables of the people build, in the order they must be written."""

    def __init__(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in self.models())
                cursor.execute(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")
        self.building = Table(
            Building, ["community_id", "grid_id", "compound_id", "region_id", "number", "name", "floors", "lon", "lat"]
        )
        self.entrance = Table(Entrance, ["building_id", "number"])
        self.dwelling = Table(
            Dwelling,
            [
                "building_id",
                "entrance_id",
                "region_id",
                "number",
                "floor",
                "exclusive_area",
                "area_source",
                "developer_held",
            ],
        )
        self.household = Table(Household, ["region_id", "dwelling_id", "number", "created_at"])
        self.person = Table(
            Person,
            [
                "name",
                "name_pinyin",
                "gender",
                "birth_date",
                "document_type",
                "document_enc",
                "document_hash",
                "document_masked",
                "phone_enc",
                "phone_hash",
                "phone_masked",
                "region_id",
                "household_id",
                "relation_to_head",
                "created_at",
                "updated_at",
            ],
        )
        self.residence = Table(Residence, ["person_id", "dwelling_id", "since", "primary"])
        self.ownership = Table(Ownership, ["person_id", "dwelling_id", "share", "representative"])
        self.tag = Table(PersonTag, ["person_id", "tag", "disability_kind", "disability_grade", "since", "note"])

    @staticmethod
    def models() -> list[type[models.Model]]:
        return [Building, Entrance, Dwelling, Household, Person, Residence, Ownership, PersonTag]

    def flush(self, ctx: DemoContext) -> None:
        for table in (
            self.building,
            self.entrance,
            self.dwelling,
            self.household,
            self.person,
            self.residence,
            self.ownership,
            self.tag,
        ):
            table.flush(ctx)

    def finish(self) -> None:
        """Move the id sequences past the ids assigned here (PostgreSQL)."""
        statements = connection.ops.sequence_reset_sql(no_style(), self.models())
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@dataclass
class Owner:
    person_id: int
    second_homes: int = 0


class CommunityWriter:
    """Plans one community's grids, compounds, buildings, dwellings and people, then writes them."""

    def __init__(
        self,
        ctx: DemoContext,
        spec: data.CommunitySpec,
        community: Region,
        residents: int,
        generator: PeopleGenerator,
        compound_names: set[str],
        tables: Tables,
    ):
        self.ctx, self.spec, self.community, self.residents = ctx, spec, community, residents
        self.generator, self.compound_names, self.t = generator, compound_names, tables
        self.rng = ctx.rng(f"community:{community_code(spec)}")
        self.code = community_code(spec)
        self.short = spec.name.removesuffix("社区").removesuffix("村") or spec.name
        self.grids: list[Region] = []
        self.compounds: list[Region] = []
        self.household_count = 0
        self.grid_households: Counter[int] = Counter()
        self.compound_households: Counter[int] = Counter()
        self.points: dict[int, list[tuple[float, float]]] = {}
        self.owners: list[Owner] = []  # heads owning their home: some own a second dwelling
        self.resident_id: int | None = None
        self.households_written = 0
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())

    # --- regions -------------------------------------------------------------------------------------
    def new_grid(self) -> Region:
        number = len(self.grids) + 1
        grid = Region(kind=Region.Kind.GRID, name=f"{self.short}第{data.chinese_number(number)}网格")
        self.grids.append(grid)
        return grid

    def new_compound(self) -> Region:
        preset = self.spec.compounds[len(self.compounds)] if len(self.compounds) < len(self.spec.compounds) else ""
        name = preset
        while not name or name in self.compound_names:
            name = self.rng.choice(data.COMPOUND_PREFIXES) + self.rng.choice(data.COMPOUND_SUFFIXES[self.spec.kind])
        self.compound_names.add(name)
        compound = Region(kind=Region.Kind.COMPOUND, name=name)
        self.compounds.append(compound)
        return compound

    def compound_target(self) -> int:
        if self.spec.name == data.DEMO_COMMUNITY and not self.compounds[1:]:
            return 2000  # 翠竹园: one compound of about 2,000 households across several grids
        low, high = {data.C: (1200, 2400), data.L: (500, 1200), data.V: (700, 1500)}[self.spec.kind]
        return self.rng.randint(low, high)

    # --- the whole community -------------------------------------------------------------------------
    def run(self) -> None:
        """Generate and write: regions first (their ids are needed), then rows flushed per community."""
        grids_wanted = grid_count(self.residents / AVERAGE_HOUSEHOLD)
        per_grid = self.residents / grids_wanted
        # The grid and compound cut points depend only on how many residents each building takes,
        # so buildings are generated first into a plan, the regions are created, then rows.
        plan: list[tuple[Region, Region, int, dict[str, Any]]] = []
        remaining = self.residents
        grid, compound = self.new_grid(), self.new_compound()
        target = self.compound_target()
        number_in_compound = 0
        while remaining > 0 or not plan:
            placed = self.residents - remaining
            if plan and len(self.grids) < grids_wanted and placed >= per_grid * len(self.grids) - HALF_BUILDING:
                grid = self.new_grid()
            if plan and self.compound_households[id(compound)] >= target:
                compound, target, number_in_compound = self.new_compound(), self.compound_target(), 0
            number_in_compound += 1
            building, remaining = self.plan_building(remaining)
            households = sum(1 for d in building["dwellings"] if d["household"] is not None)
            self.grid_households[id(grid)] += households
            self.compound_households[id(compound)] += households
            self.household_count += households
            plan.append((grid, compound, number_in_compound, building))
        self.lay_out(plan)
        for region in self.grids + self.compounds:
            counter = self.grid_households if region.kind == Region.Kind.GRID else self.compound_households
            region.households = counter[id(region)]
            points = [(b["lon"], b["lat"]) for g, c, _n, b in plan if region is g or region is c]
            region.lon = round(sum(p[0] for p in points) / len(points), 6)
            region.lat = round(sum(p[1] for p in points) / len(points), 6)
        self.community.households = self.household_count
        region_bulk_create(self.community, self.grids)
        region_bulk_create(self.community, self.compounds)
        self.ctx.counts[Region._meta.label] += len(self.grids) + len(self.compounds)
        self.ctx.insert(
            RegionCode,
            [
                RegionCode(region=g, system=RegionCode.System.GRID, code=f"{self.code}{i:03d}")
                for i, g in enumerate(self.grids, start=1)
            ],
        )
        for grid, compound, number, building in plan:
            self.write_building(grid, compound, number, building)
        self.t.flush(self.ctx)
        self.ctx.grids[self.spec.name] = self.grids
        self.ctx.compounds[self.spec.name] = self.compounds

    def lay_out(self, plan: list[tuple[Region, Region, int, dict[str, Any]]]) -> None:
        """Grid outlines tiling the community's; buildings in clusters (one per grid and compound) inside
        their grid's outline; each compound's outline around its buildings."""
        ring = geometry.outer_ring(self.community.geometry)
        if ring is None:
            return
        rng = self.ctx.rng(f"layout:{self.code}")
        cells = layout.partition(ring, len(self.grids), rng)
        cell_of = {id(g): c for g, c in zip(self.grids, cells, strict=True)}
        for grid, cell in zip(self.grids, cells, strict=True):
            grid.geometry = geometry.polygon_geojson(cell)
        centres: dict[tuple[int, int], tuple[float, float]] = {}
        for grid, compound, _n, building in plan:
            cell = cell_of[id(grid)]
            key = (id(grid), id(compound))
            if key not in centres:
                centres[key] = geometry.point_inside(cell, rng, shrink=0.35)
            cx, cy = centres[key]
            x, y = cx, cy
            for _ in range(30):
                x, y = cx + rng.gauss(0, 0.0011) / layout.KX, cy + rng.gauss(0, 0.0011)
                if geometry.contains(cell, x, y):
                    break
            else:
                x, y = cx, cy
            building["lon"], building["lat"] = round(x, 6), round(y, 6)
        for compound in self.compounds:
            points = [(b["lon"], b["lat"]) for _g, c, _n, b in plan if c is compound]
            outline = layout.buffered(points, ring)
            if len(outline) >= 3:
                compound.geometry = geometry.polygon_geojson(outline)

    def plan_building(self, remaining: int) -> tuple[dict[str, Any], int]:
        rng, kind = self.rng, self.spec.kind
        floor_choices, entrance_choices, per_floor = data.LAYOUTS[kind]
        floors, entrance_count = rng.choice(floor_choices), rng.choice(entrance_choices)
        # The last building of a community is no bigger than the households left need.
        need = remaining / AVERAGE_HOUSEHOLD * 1.15
        while entrance_count > min(entrance_choices) and entrance_count * floors * per_floor > need:
            entrance_count -= 1
        while floors > min(floor_choices) and entrance_count * floors * per_floor > need:
            floors -= 1
        lon, lat = self.community.lon or 0.0, self.community.lat or 0.0
        low, high = data.AREAS[kind]
        layout = [Decimal(rng.randint(low * 100, high * 100)) / 100 for _ in range(per_floor)]
        dwellings: list[dict[str, Any]] = []
        for e in range(1, entrance_count + 1):
            for floor in range(1, floors + 1):
                for index in range(per_floor):
                    dwelling: dict[str, Any] = {
                        "entrance": e,
                        "number": f"{floor}{index + 1:02d}",
                        "floor": floor,
                        "area": layout[index],
                        "source": self.area_source(),
                        "developer_held": False,
                        "household": None,
                    }
                    roll = rng.random()
                    if kind == data.C and roll < 0.01:
                        dwelling["developer_held"] = True
                        dwelling["source"] = rng.choice((Dwelling.AreaSource.CONTRACT, Dwelling.AreaSource.SURVEY))
                    elif remaining > 0 and roll >= 0.07:
                        household = self.generator.household(rng, kind)
                        household.members = household.members[:remaining]
                        remaining -= len(household.members)
                        dwelling["household"] = household
                    dwellings.append(dwelling)
        building = {
            "floors": floors,
            "entrances": entrance_count,
            "lon": round(lon + rng.uniform(-0.0035, 0.0035), 6),
            "lat": round(lat + rng.uniform(-0.003, 0.003), 6),
            "dwellings": dwellings,
        }
        return building, remaining

    def area_source(self) -> str:
        roll = self.rng.random()
        if roll < 0.85:
            return Dwelling.AreaSource.REGISTER
        return Dwelling.AreaSource.SURVEY if roll < 0.95 else Dwelling.AreaSource.CONTRACT

    # --- rows ----------------------------------------------------------------------------------------
    def write_building(self, grid: Region, compound: Region, number: int, building: dict[str, Any]) -> None:
        t = self.t
        building_id = t.building.add(
            self.community.pk,
            grid.pk,
            compound.pk,
            grid.pk,
            str(number),
            "",
            building["floors"],
            building["lon"],
            building["lat"],
        )
        entrances = [t.entrance.add(building_id, str(e)) for e in range(1, building["entrances"] + 1)]
        since_low = 1995 if self.spec.kind != data.C else 2005
        for d in building["dwellings"]:
            dwelling_id = t.dwelling.add(
                building_id,
                entrances[d["entrance"] - 1],
                grid.pk,
                d["number"],
                d["floor"],
                d["area"],
                d["source"],
                d["developer_held"],
            )
            household = d["household"]
            if household is not None:
                self.write_household(grid, dwelling_id, household, since_low)
            elif not d["developer_held"]:
                self.second_home(dwelling_id)

    def second_home(self, dwelling_id: int) -> bool:
        """A vacant or let dwelling is owned by someone of the community who lives elsewhere in it."""
        if not self.owners:
            return False
        owner = self.owners[self.rng.randrange(len(self.owners))]
        if owner.second_homes >= 2:
            return False
        owner.second_homes += 1
        self.t.ownership.add(owner.person_id, dwelling_id, Decimal(1), True)
        return True

    def write_household(self, grid: Region, dwelling_id: int, spec: HouseholdSpec, since: int) -> None:
        rng, t, as_of = self.rng, self.t, self.ctx.as_of
        self.households_written += 1
        household_id = t.household.add(grid.pk, dwelling_id, f"{self.code}{self.households_written:05d}", self.now)
        moved_in = date(rng.randint(since, as_of.year - 1), rng.randint(1, 12), 1)
        ids: list[int] = []
        protect = 0.0
        for member in spec.members:
            started = time.perf_counter()
            document, phone = protect_document(member.id_number), protect_phone(member.phone)
            protect += time.perf_counter() - started
            person_id = t.person.add(
                member.name,
                pinyin_key(member.name),
                member.gender,
                member.birth_date,
                Person.DocumentType.MAINLAND_ID,
                document.enc,
                document.hash,
                document.masked,
                phone.enc,
                phone.hash,
                phone.masked,
                grid.pk,
                household_id,
                member.relation,
                self.now,
                self.now,
            )
            ids.append(person_id)
            t.residence.add(person_id, dwelling_id, max(moved_in, member.birth_date), True)
            for tag, disability_kind, grade in member.tags:
                since_tag = max(member.birth_date, date(rng.randint(2010, as_of.year - 1), 1, 1))
                t.tag.add(person_id, tag, disability_kind, grade, since_tag, "")
        self.ctx.timings["protect"] += protect
        tenancy = {data.C: 0.15, data.L: 0.10, data.V: 0.05}[self.spec.kind]
        if rng.random() < tenancy and self.second_home(dwelling_id):
            return  # tenants: the owner lives elsewhere in the community
        if spec.couple and len(ids) > 1 and rng.random() < 0.35:
            t.ownership.add(ids[0], dwelling_id, Decimal("0.5"), True)
            t.ownership.add(ids[1], dwelling_id, Decimal("0.5"), False)
        else:
            t.ownership.add(ids[0], dwelling_id, Decimal(1), True)
        self.owners.append(Owner(ids[0]))
        head = spec.members[0]
        if (
            self.resident_id is None
            and self.spec.name == data.DEMO_COMMUNITY
            and grid is self.grids[0]
            and as_of.year - head.birth_date.year >= 25
        ):
            self.resident_id = ids[0]


# --- organisations ------------------------------------------------------------------------------------
def credit_code(rng: random.Random, kind: str) -> str:
    """A unified social credit code (GB 32100) with a valid check character."""
    authority = {"social": "52", "foundation": "53", "enterprise": "91", "property_company": "91"}.get(kind, "12")
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = authority + data.DISTRICT_CODE + "".join(rng.choice(alphabet[:10]) for _ in range(8))
    body += rng.choice(alphabet)
    return body + uscc.calc_check_digit(body + "0")


def build_organisations(ctx: DemoContext) -> None:
    rng = ctx.rng("organisations")
    district, street = ctx.district, ctx.streets[data.DEMO_STREET]
    community = ctx.demo_community
    assert district is not None
    compound = ctx.compounds[data.DEMO_COMMUNITY][0]
    K = Organisation.Kind
    rows: list[tuple[str, str, Region, dict[str, Any]]] = [
        (K.DEPARTMENT, "区城管局", district, {"description": "城市管理、市容环境"}),
        (K.DEPARTMENT, "区民政局", district, {"description": "社会救助、养老服务、社区治理"}),
        (K.DEPARTMENT, "区住建局", district, {"description": "物业管理、老旧小区改造"}),
        (K.DEPARTMENT, "区卫健委", district, {}),
        (K.DEPARTMENT, "区人社局", district, {}),
        (K.DEPARTMENT, "区应急管理局", district, {}),
        (K.DEPARTMENT, "区市场监管局", district, {}),
        (K.DEPARTMENT, "区政务服务管理办公室（12345）", district, {}),
        (K.PARTY, "中共雨花街道工作委员会", street, {}),
        (K.PARTY, "中共翠竹园社区委员会", community, {}),
        (K.SOCIAL, "雨花台区益邻社会工作服务中心", district, {}),
        (K.SOCIAL, "翠竹园社区志愿者协会", community, {}),
        (K.FOUNDATION, "科菲平基金会", district, {"public_fundraising": True}),
        (K.ENTERPRISE, "南京雨花软件科技有限公司", ctx.streets["中国（南京）软件谷"], {}),
        (K.PROPERTY_COMPANY, "南京翠竹园物业服务有限公司", compound, {}),
        (K.PROPERTY_COMPANY, "南京梅山物业管理有限公司", ctx.communities["梅山第二社区"], {}),
        (K.OWNERS_COMMITTEE, "翠竹园业主委员会", compound, {}),
        (K.OWNERS_COMMITTEE, "景明佳园业主委员会", ctx.compounds["景明佳园社区"][0], {}),
        (K.PAIRED_AGENCY, "区财政局（结对共建）", community, {}),
        (K.PAIRED_AGENCY, "南京南站地区管委会（结对共建）", ctx.communities["南站花园社区"], {}),
        (K.STATION, "雨花街道社会工作服务站", street, {}),
        (K.STATION, "翠竹园社区社工室", community, {}),
    ]
    for spec in data.COMMUNITIES:
        committee = "村民委员会" if spec.name.endswith("村") else "居民委员会"
        name = f"{spec.name.removesuffix('社区')}{committee}"
        rows.append((K.RESIDENTS_COMMITTEE, name, ctx.communities[spec.name], {}))
    organisations = [
        Organisation(
            kind=kind,
            name=name,
            name_pinyin=pinyin_key(name),
            region=region,
            credit_code=credit_code(rng, kind),
            **extra,
        )
        for kind, name, region, extra in rows
    ]
    ctx.insert(Organisation, organisations)
    ctx.organisations = {o.name: o for o in organisations}
    ctx.log(f"organisations: {len(organisations)}")


# --- accounts -----------------------------------------------------------------------------------------
def build_accounts(ctx: DemoContext) -> None:
    """One account per role (phones 13900000001… in role order), password settings.DEMO_PASSWORD."""
    assert ctx.district is not None
    community = ctx.demo_community
    grid = ctx.grids[data.DEMO_COMMUNITY][0]
    nodes = {"grid": grid, "community": community, "street": ctx.streets[data.DEMO_STREET], "district": ctx.district}
    person = ctx.resident_person
    now = timezone.now()
    template = User(phone="0")
    template.set_password(settings.DEMO_PASSWORD)  # hash once: every demo account shares the password
    for role in Role:
        name = person.name if role == Role.RESIDENT and person else ACCOUNT_NAMES.get(role, str(role.label))
        user = User(
            phone=demo_phone(role),
            name=str(name),
            password=template.password,
            is_staff=role in STAFF_ROLES,
            password_changed_at=now,
        )
        user.save()
        department = ctx.organisations["区城管局"] if role == Role.DEPARTMENT_HANDLER else None
        RoleAssignment.objects.create(user=user, role=role, region=nodes[ROLE_NODES[role]], department=department)
        ctx.accounts[role] = user
    Membership.objects.create(
        organisation=ctx.organisations["翠竹园社区志愿者协会"],
        user=ctx.accounts[Role.ORGANISATION_MEMBER],
        role=Membership.Role.MEMBER,
        since=date(ctx.as_of.year - 2, 3, 5),
    )
    Membership.objects.create(
        organisation=ctx.organisations["区城管局"],
        user=ctx.accounts[Role.DEPARTMENT_HANDLER],
        role=Membership.Role.STAFF,
    )
    ctx.counts[User._meta.label] += len(Role)
    ctx.counts[RoleAssignment._meta.label] += len(Role)
    ctx.counts[Membership._meta.label] += 2
    if person is not None:
        # The demo resident: verified, with the account's phone, owning the dwelling they live in.
        phone = protect_phone(demo_phone(Role.RESIDENT))
        worker = ctx.accounts[Role.COMMUNITY_WORKER]
        Person.objects.filter(pk=person.pk).update(
            user=ctx.accounts[Role.RESIDENT],
            verified_at=now,
            verified_by=worker,
            phone_enc=phone.enc,
            phone_hash=phone.hash,
            phone_masked=phone.masked,
        )
        Ownership.objects.filter(person=person, representative=True).update(verified_at=now, verified_by=worker)
        person.refresh_from_db()
    ctx.log(f"accounts: {len(Role)} demo accounts, password from settings.DEMO_PASSWORD")


def update_household_counts(ctx: DemoContext) -> None:
    """Households per community, street and district (grids and compounds were set when written)."""
    assert ctx.district is not None
    communities = list(ctx.communities.values())
    Region.objects.bulk_update(communities, ["households"])
    streets = []
    for street in ctx.streets.values():
        street.households = sum(c.households or 0 for c in communities if c.parent_id == street.pk)
        streets.append(street)
    ctx.district.households = sum(s.households or 0 for s in streets)
    Region.objects.bulk_update([*streets, ctx.district], ["households"])


# --- reset --------------------------------------------------------------------------------------------
def reset_district(log: Callable[[str], None]) -> None:
    """Remove the demo district: app modules' data first (their ``reset``), then people, addresses,
    organisations, the demo accounts and every role assignment, then the region tree."""
    with transaction.atomic():
        ctx = DemoContext(seed=0, residents=0, as_of=date.today(), log=log)
        for module in reversed(demo_modules()):
            if hasattr(module, "reset"):
                module.reset(ctx)
        demo_users = User.objects.filter(phone__startswith=DEMO_PHONE_PREFIX)
        ordered: Iterable[models.QuerySet[Any]] = (
            PersonTag.objects.all(),
            Residence.objects.all(),
            Ownership.objects.all(),
            Consent.objects.all(),
            DataRequest.objects.all(),
            Person.objects.all(),
            Household.objects.all(),
            Membership.objects.all(),
            RoleAssignment.objects.all(),
            ApiToken.objects.filter(user__in=demo_users),
            demo_users,
        )
        for queryset in ordered:
            queryset.delete()
        Organisation.objects.update(parent=None)
        Organisation.objects.all().delete()
        Dwelling.objects.all().delete()
        Entrance.objects.all().delete()
        Building.objects.all().delete()
        RegionCode.objects.all().delete()
        Region.objects.update(parent=None)
        Region.objects.all().delete()
    log("reset: the demo district was removed")
