"""The scope matrix over every endpoint and page (issue 14), generated from the OpenAPI schema and the URL
configuration (see scope_matrix.py for what is declared and why).

On the demo district, with the README accounts of 翠竹园社区 and 雨花街道 and the same roles in a second
community of that street and in a community of another street:

- every read names no record placed beside the persona's regions (region references in JSON, the names of
  communities, grids and compounds in pages);
- every endpoint and page that takes a record answers 403 or 404 for a record placed beside the persona's
  regions, for reads and writes alike, and a write so refused changes nothing;
- every operation answers 2xx to someone, so the matrix is not passing because every call failed.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db.models import Model
from django.forms.models import model_to_dict
from django.test import Client

from conftest import make_user
from jishiyu.accounts.models import User
from jishiyu.accounts.roles import Role
from jishiyu.conftest import reload_data_migrations
from jishiyu.demo.data import DEMO_COMMUNITY
from jishiyu.demo.tests.scope_matrix import (
    API_PARAMS,
    NOT_REACHED,
    OWN,
    PUBLIC,
    QUERY_REGIONS,
    QUERY_VALUES,
    VALUES,
    Kind,
    Operation,
    api_kind,
    api_operations,
    openapi_schema,
    page_kind,
    pages,
    unknown_parameters,
)
from jishiyu.people.models import Ownership, Person, Residence
from jishiyu.regions.models import Region

# Roles held at a community, and at a street, given to the extra personas of the other places.
COMMUNITY_ROLES = (
    Role.GRID_WORKER,
    Role.COMMUNITY_WORKER,
    Role.SOCIAL_WORKER,
    Role.COMMUNITY_SECRETARY,
    Role.ORGANISATION_MEMBER,
)
STREET_ROLES = (Role.STREET_DISPATCHER, Role.STREET_OFFICIAL)
REFUSED = {403, 404}
MODULES = sorted({op.path.split("/")[3] for op in api_operations()})
APPS = sorted({page.name.split(":")[0] for page in pages()})


@dataclass
class Persona:
    key: str
    user: User
    paths: tuple[str, ...]  # the regions of its role assignments

    def may_see(self, places: Iterable[str]) -> bool:
        """Inside or above one of its regions; a record with no place is no region's (judged elsewhere)."""
        places = [p for p in places if p]
        if not places:
            return True
        return any(p.startswith(mine) or mine.startswith(p) for p in places for mine in self.paths)


@dataclass
class Sample:
    obj: Model
    places: tuple[str, ...]
    owner_id: int | None = None
    public: bool = False


@dataclass
class World:
    regions: dict[int, Region]
    personas: list[Persona]
    places: dict[str, Region]  # "A", "B", "C": the three communities
    samples: dict[str, list[Sample]] = field(default_factory=dict)

    def samples_of(self, kind: Kind) -> list[Sample]:
        key = f"{kind.model}|{kind.places}|{kind.owner}"
        if key not in self.samples:
            self.samples[key] = list(self._pick(kind))
        return self.samples[key]

    def _pick(self, kind: Kind) -> Iterable[Sample]:
        model = kind.model_class()
        qs = model._default_manager.filter(**dict(kind.where)).order_by("pk").distinct()
        if kind.owner:
            owners = [p.user.pk for p in self.personas[:3]] + [p.user.pk for p in self.personas[-3:]]
            for owner in dict.fromkeys(owners):
                obj = qs.filter(**{f"{kind.owner}_id": owner}).first()
                if obj is not None:
                    yield Sample(obj, (), owner)
            return
        if not kind.places:
            obj = qs.first()
            if obj is not None:
                yield Sample(obj, ())
            return
        for region in self.places.values():
            lookup = kind.places[0]
            target = f"{lookup}__path" if lookup and not lookup.endswith("_path") else (lookup or "path")
            here = qs.filter(**{f"{target}__startswith": region.path})
            for public, found in (
                (False, here.exclude(**dict(kind.public)) if kind.public else here),
                (True, here.filter(**dict(kind.public)) if kind.public else here.none()),
            ):
                obj = found.first()
                if obj is not None:
                    yield Sample(obj, self.places_of(kind, obj), public=public)

    def places_of(self, kind: Kind, obj: Model) -> tuple[str, ...]:
        found: list[str] = []
        for lookup in kind.places:
            target = f"{lookup}__path" if lookup and not lookup.endswith("_path") else (lookup or "path")
            found += [p for p in type(obj)._default_manager.filter(pk=obj.pk).values_list(target, flat=True) if p]
        return tuple(found)


def build_world() -> World:
    reload_data_migrations()  # a live-server test earlier on this worker may have flushed them
    call_command("demo_district", "--residents", "300", "--seed", "7", verbosity=0)
    a = Region.objects.get(kind="community", name=DEMO_COMMUNITY)
    street = a.parent
    b = Region.objects.filter(kind="community", parent=street).exclude(pk=a.pk).order_by("path").first()
    c = Region.objects.filter(kind="community").exclude(parent=street).order_by("path").first()
    assert b is not None and c is not None
    personas = [
        Persona(
            f"readme:{user.role_assignments.first().role}",
            user,
            tuple(user.role_assignments.values_list("region__path", flat=True)),
        )
        for user in User.objects.filter(phone__startswith="139000000").order_by("phone")
    ]
    for label, community in (("B", b), ("C", c)):
        grid = Region.objects.filter(kind="grid", parent=community).order_by("path").first() or community
        extras = [(Role.RESIDENT, grid)] + [(role, community) for role in COMMUNITY_ROLES]
        if label == "C":
            extras += [(role, community.parent) for role in STREET_ROLES]
        for n, (role, region) in enumerate(extras):
            user = make_user(f"1370000{ord(label):02d}{n:02d}", f"{label}{role}", role, region)
            personas.append(Persona(f"{label}:{role}", user, (region.path,)))
    for persona in personas:
        persona.paths += own_places(persona.user)
    regions = {r.pk: r for r in Region.objects.all()}
    return World(regions, personas, {"A": a, "B": b, "C": c})


def own_places(user: User) -> tuple[str, ...]:
    """Where a person belongs as a resident, whatever their roles: where they live and where they own a
    home, down to the compound (an owner votes in the compound of the home they own)."""
    places: set[str] = set()
    for model in (Residence, Ownership):
        rows = model.objects.filter(person__user=user).values_list(
            "dwelling__region__path", "dwelling__building__compound__path"
        )
        places |= {p for row in rows for p in row if p}
    places |= {p for p in Person.objects.filter(user=user).values_list("region__path", flat=True) if p}
    return tuple(sorted(places))


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


# -- request building ------------------------------------------------------------------------------------


def fill(path: str, values: dict[str, Any], placeholder: str = "{%s}") -> str:
    for name, value in values.items():
        path = path.replace(placeholder % name, str(value))
    return path


def record_params(names: Iterable[str], kind_of: Any) -> list[str]:
    return [n for n in names if n not in VALUES and kind_of(n) is not None]


@dataclass
class Call:
    """One request to make: the values of the path and the record whose scope decides the answer."""

    values: dict[str, Any]
    sample: Sample | None
    kind: Kind | None
    query: dict[str, Any] = field(default_factory=dict)


def calls(names: list[str], kind_of: Any, world: World, query: Iterable[str] = ()) -> list[Call]:
    out = _path_calls(names, kind_of, world)
    required = {n: QUERY_VALUES[n] for n in query if n in QUERY_VALUES}
    for call in out:
        call.query.update(required)
    region = API_PARAMS["region_id"]
    if len(out) == 1 and out[0].sample is None:  # a list or a figure: its region filter is the record
        for name in (n for n in query if n in QUERY_REGIONS):
            for sample in world.samples_of(region):
                out.append(Call(out[0].values, sample, region, {**required, name: sample.obj.pk}))
    return out


def _path_calls(names: list[str], kind_of: Any, world: World) -> list[Call]:
    records = record_params(names, kind_of)
    values = {n: VALUES[n] for n in names if n in VALUES}
    if not records:
        return [Call(values, None, None)]
    children = [n for n in records if kind_of(n).parent] or records[-1:]
    driver = children[-1]
    kind = kind_of(driver)
    out = []
    for sample in world.samples_of(kind):
        row = dict(values)
        row[driver] = sample.obj.pk
        if kind.parent:
            param, attr = kind.parent
            parent = sample.obj
            for part in attr.split("__"):
                parent = getattr(parent, part)
            row[param] = parent
        for other in records:  # any other record parameter: the parent's own record where it is one
            if other not in row:
                row[other] = world.samples_of(kind_of(other))[0].obj.pk if world.samples_of(kind_of(other)) else 0
        out.append(Call(row, sample, kind))
    return out


def may_see(persona: Persona, call: Call) -> bool:
    if call.sample is None or call.sample.public:
        return True
    if call.kind is not None and call.kind.owner:
        return call.sample.owner_id == persona.user.pk
    return persona.may_see(call.sample.places)


def region_refs(payload: Any) -> Iterable[int]:
    """Region ids a JSON answer names: ``{"id", "name"[, "kind"]}`` under a key naming a region, or an int
    under ``*region_id`` / ``compound_id`` / ``community_id``."""
    if isinstance(payload, dict):
        for key, value in payload.items():
            k = key.lower()
            names_region = "region" in k or k in {"compound", "community", "street", "grid"}
            if names_region and isinstance(value, dict) and isinstance(value.get("id"), int) and "name" in value:
                yield value["id"]
            elif (k.endswith("region_id") or k in {"compound_id", "community_id"}) and isinstance(value, int):
                yield value
            if isinstance(value, (dict, list)):
                yield from region_refs(value)
    elif isinstance(payload, list):
        for item in payload:
            yield from region_refs(item)


def body_for(op: Operation) -> tuple[Any, str]:
    """A body the schema accepts (required fields only), so a write reaches its scope check."""
    schema = openapi_schema()
    spec = schema["paths"][op.path][op.method.lower()].get("requestBody")
    if not spec:
        return None, "application/json"
    content = spec["content"]
    multipart = "application/json" not in content

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
        if "anyOf" in node:
            node = resolve(next(n for n in node["anyOf"] if n.get("type") != "null"))
        if "allOf" in node:
            node = resolve(node["allOf"][0])
        return node

    def make(node: dict[str, Any]) -> Any:
        node = resolve(node)
        if "enum" in node:
            return node["enum"][0]
        kind = node.get("type")
        if kind == "object" or "properties" in node:
            return {k: make(v) for k, v in node.get("properties", {}).items() if k in node.get("required", [])}
        if kind == "array":
            return []
        if kind == "integer":
            return max(1, node.get("minimum", 1))
        if kind == "number":
            return 1
        if kind == "boolean":
            return False
        if node.get("format") == "date":
            return date.today().isoformat()
        if node.get("format") == "date-time":
            return f"{date.today().isoformat()}T09:00:00+08:00"
        return "矩阵核对" * max(1, (node.get("minLength") or 1) // 4 + 1)

    if not multipart:
        return make(content["application/json"]["schema"]), "application/json"
    form = resolve(content["multipart/form-data"]["schema"])
    body = {}
    for name, prop in form.get("properties", {}).items():
        if name in form.get("required", []):
            node = resolve(prop.get("items", prop)) if prop.get("type") == "array" else resolve(prop)
            body[name] = tiny_png() if node.get("format") == "binary" else make(prop)
    return body, "multipart/form-data"


def tiny_png() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return SimpleUploadedFile("matrix.png", out.getvalue(), content_type="image/png")


def snapshot(sample: Sample | None) -> dict[str, Any] | None:
    if sample is None:
        return None
    row = type(sample.obj)._default_manager.filter(pk=sample.obj.pk).first()
    return None if row is None else model_to_dict(row)


def client_for(persona: Persona) -> Client:
    client = Client()
    client.force_login(persona.user)
    return client


# -- the tests -------------------------------------------------------------------------------------------


def test_every_path_parameter_of_every_endpoint_and_page_is_in_the_matrix() -> None:
    assert api_operations() and pages()
    missing = unknown_parameters()
    assert not missing, "a new endpoint has no scope test; add its parameter to scope_matrix.py:\n" + "\n".join(missing)


def check_read(persona: Persona, call: Call, response: Any, world: World, public: bool, where: str) -> list[str]:
    found = []
    if not may_see(persona, call) and not public and response.status_code not in REFUSED:
        found.append(f"{where} as {persona.key}: {response.status_code} for a record beside its regions")
    if (
        200 <= response.status_code < 300
        and not public
        and response.get("Content-Type", "").startswith("application/json")
    ):
        try:
            payload = json.loads(response.content)
        except ValueError:
            payload = None
        for region_id in set(region_refs(payload)):
            region = world.regions.get(region_id)
            if region is not None and not persona.may_see([region.path]) and may_see(persona, call):
                found.append(f"{where} as {persona.key}: names {region.kind} {region.name} beside its regions")
    return found


@pytest.mark.parametrize("module", MODULES)
def test_every_api_read_of_a_module_shows_only_the_personas_places(world: World, module: str) -> None:
    findings: list[str] = []
    answered: dict[str, int] = {}
    ops = [op for op in api_operations() if op.method == "GET" and op.path.split("/")[3] == module]
    for persona in world.personas:
        client = client_for(persona)
        for op in ops:
            for call in calls(op.params, lambda n, op=op: api_kind(op, n), world, op.query):
                path = fill(op.path, call.values)
                response = client.get(path, call.query)
                assert response.status_code < 500, (path, persona.key, response.content[:300])
                answered[op.path] = answered.get(op.path, 0) + (200 <= response.status_code < 300)
                findings += check_read(
                    persona,
                    call,
                    response,
                    world,
                    op.path in PUBLIC or op.path in OWN,
                    f"GET {path}?{urlencode(call.query)}",
                )
    never = [path for path, n in answered.items() if not n and path not in NOT_REACHED]
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(findings)
    assert not never, "these reads answered nobody; the matrix proves nothing for them:\n" + "\n".join(never)


MISSING = 987654321


def answer(response: Any) -> tuple[int, str]:
    """What a refusal tells: its status and its error code (an error body names its instance; ignore it)."""
    try:
        code = json.loads(response.content).get("code", "")
    except (ValueError, AttributeError):
        code = ""
    return response.status_code, code


@pytest.mark.parametrize("module", MODULES)
def test_every_api_write_on_a_record_beside_the_personas_regions_is_refused(world: World, module: str) -> None:
    """Refused as a missing record is (the same status and code: nothing tells that it exists), and
    unchanged."""
    findings: list[str] = []
    ops = [
        op
        for op in api_operations()
        if op.method != "GET"
        and op.path.split("/")[3] == module
        and record_params(op.params, lambda n, op=op: api_kind(op, n))
    ]
    for op in ops:
        body, content_type = body_for(op)

        def send(
            client: Client, values: dict[str, Any], op: Operation = op, body: Any = body, ct: str = content_type
        ) -> Any:
            path = fill(op.path, values)
            if ct != "application/json":  # a fresh file each time (an upload is read once)
                return client.post(path, {k: tiny_png() if hasattr(v, "read") else v for k, v in body.items()})
            return client.generic(op.method, path, json.dumps(body) if body is not None else "", content_type=ct)

        for persona in world.personas:
            client = client_for(persona)
            for call in calls(op.params, lambda n, op=op: api_kind(op, n), world):
                if may_see(persona, call):
                    continue
                before = snapshot(call.sample)
                response = send(client, call.values)
                missing = send(client, {k: MISSING if isinstance(v, int) else v for k, v in call.values.items()})
                where = f"{op.method} {fill(op.path, call.values)} as {persona.key}"
                if 200 <= response.status_code < 300:
                    findings.append(f"{where}: {response.status_code}, done on a record beside its regions")
                elif answer(response) != answer(missing):
                    findings.append(f"{where}: {answer(response)}, a missing record {answer(missing)}")
                if snapshot(call.sample) != before:
                    findings.append(f"{where}: the record changed")
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(findings)


def markers_beside(persona: Persona, world: World) -> list[str]:
    """Names of communities, grids and compounds beside the persona's regions, that are not part of a name
    it may see."""
    mine = [r.name for r in world.regions.values() if persona.may_see([r.path])]
    return [
        r.name
        for r in world.regions.values()
        if r.kind in {"community", "grid", "compound"}
        and not persona.may_see([r.path])
        and not any(r.name in name for name in mine)
    ]


@pytest.mark.parametrize("app", APPS)
def test_every_page_of_an_app_shows_only_the_personas_places(world: World, app: str) -> None:
    findings: list[str] = []
    app_pages = [p for p in pages() if p.name.split(":")[0] == app]
    answered: dict[str, int] = {}
    for persona in world.personas:
        client = client_for(persona)
        markers = markers_beside(persona, world)
        for page in app_pages:
            public = page.name in PUBLIC or page.name in OWN
            for call in calls(list(page.params), lambda n, page=page: page_kind(page, n), world):
                path = "/" + fill(page.route, call.values, "<%s>")
                path = path.replace("<int:", "<").replace("<str:", "<").replace("<slug:", "<")
                for name, value in call.values.items():
                    path = path.replace(f"<{name}>", str(value))
                response = client.get(path)
                assert response.status_code < 500, (path, persona.key)
                answered[page.name] = answered.get(page.name, 0) + (response.status_code in {200, 302, 405})
                if not may_see(persona, call) and not public and response.status_code not in REFUSED | {302, 405}:
                    findings.append(
                        f"page {path} as {persona.key}: {response.status_code} for a record beside its regions"
                    )
                if response.status_code == 200 and not public and "html" in response.get("Content-Type", ""):
                    text = response.content.decode("utf-8", "replace")
                    shown = [m for m in markers if m in text]
                    if shown:
                        findings.append(f"page {path} as {persona.key}: names {', '.join(shown[:5])}")
    never = [name for name, n in answered.items() if not n and name not in NOT_REACHED]
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(findings)
    assert not never, "these pages answered nobody; the matrix proves nothing for them:\n" + "\n".join(never)
