"""Every API endpoint, read from the OpenAPI schema, asked by someone who may see nothing: the
``outsider`` (signed in, no role) and an anonymous visitor. Lists answer empty or the outsider's own
records only, never another person's data; a record path with an id answers 401/403/404 for the
records of others exactly as for a missing one, and changes nothing. Endpoints added later are
swept automatically (ids of ``<model>_id`` parameters are found by model name)."""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.db import models

from jishiyu.accounts.models import RoleAssignment, User
from jishiyu.audit.models import AuditEntry
from jishiyu.audit.services import audit_record
from jishiyu.core.masking import mask_phone
from jishiyu.notifications.models import Notification
from jishiyu.organisations.models import Membership, Organisation
from jishiyu.people.models import DataRequest, Household, Ownership, Person, Residence
from jishiyu.people.tests.factories import build_people
from jishiyu.regions.models import Building, Dwelling, Region

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/v1/openapi.json"
MISSING_ID = 987_654
REFUSED = {401, 403, 404}
READ_OK = {200} | REFUSED | {422}
WRITE_METHODS = ("post", "put", "patch", "delete")
# Tables an API call may write without changing what is held (the log of the call itself, sessions).
UNWATCHED = {"audit.auditentry", "sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
# Path parameters that name a record kind other than by "<model>_id".
ALIASES = {"entry_id": AuditEntry, "attempt_id": None, "assignment_id": RoleAssignment, "job_id": None}
QUERY_ALIASES = {"region": Region, "parent": Region, "household": Household, "person": Person, "actor": User}
SECRET_REASON = "秘密事由-扫描"


@dataclass
class World:
    """What exists, who owns what, and the strings that must never reach the outsider."""

    outsider: User
    own: dict[type[models.Model], set[int]] = field(default_factory=dict)
    markers: set[str] = field(default_factory=set)

    def foreign_ids(self, model: type[models.Model] | None, limit: int = 4) -> list[int]:
        if model is None:
            return []
        own = self.own.get(model, set())
        return [pk for pk in model._default_manager.order_by("pk").values_list("pk", flat=True) if pk not in own][
            :limit
        ]


@pytest.fixture
def world(tree: Any, personas: dict[str, User]) -> World:
    """People of every place (the outsider owns one in 新林社区), organisations, memberships,
    notifications, data requests and audit entries of others."""
    data = build_people(tree, personas)
    outsider = personas["outsider"]
    mine = data.people["outsider_own"]
    w = World(outsider=outsider)
    w.own = {
        Person: {mine.pk},
        Household: {data.households["outsider_own"].pk},
        Dwelling: {data.dwellings["outsider_own"].pk},
        Ownership: {data.ownerships["outsider_own"].pk},
        Residence: set(Residence.objects.filter(person=mine).values_list("pk", flat=True)),
        User: {outsider.pk},
    }
    for key, person in data.people.items():
        if key == "outsider_own":
            continue
        number, phone = data.number(key), data.phone(key)
        w.markers |= {person.name, person.document_masked, person.phone_masked, number, phone}
        w.markers.add(data.households[key].number)
        DataRequest.objects.create(person=person, kind=DataRequest.Kind.CORRECTION, detail=f"秘密申请-{key}")
        w.markers.add(f"秘密申请-{key}")
    for name, user in personas.items():
        if name == "outsider":
            continue
        w.markers |= {user.name, user.phone, mask_phone(user.phone)}
        Notification.objects.create(user=user, title=f"秘密通知-{name}")
        w.markers.add(f"秘密通知-{name}")
    for i, region in enumerate((tree.community, tree.other_community)):
        org = Organisation.objects.create(
            kind=Organisation.Kind.choices[0][0], name=f"秘密组织-{i}", region=region, contact_name=f"秘密联系人-{i}"
        )
        Membership.objects.create(organisation=org, user=personas["community_worker"])
        w.markers |= {org.name, org.contact_name}
    audit_record(action="reveal", obj=data.people["grid"], changes={}, reason=SECRET_REASON, actor=personas["auditor"])
    w.markers.add(SECRET_REASON)
    for region in (tree.street, tree.community, tree.sibling_community, tree.grid, tree.grid2, tree.other_grid):
        w.markers.add(region.name)
    w.markers.discard("")
    return w


def _schema(client: Any) -> dict[str, Any]:
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    return dict(response.json())


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if method in ("get", *WRITE_METHODS)
    ]


def _params(op: dict[str, Any], where: str) -> list[dict[str, Any]]:
    return [p for p in op.get("parameters", []) if p.get("in") == where]


def _model_for(name: str) -> type[models.Model] | None:
    """``person_id`` → Person, ``region`` → Region: by alias, else by model name across all apps."""
    if name in ALIASES:
        return ALIASES[name]
    if name in QUERY_ALIASES:
        return QUERY_ALIASES[name]
    base = name.removesuffix("_id").replace("_", "")
    for model in apps.get_models():
        if model._meta.model_name == base:
            return model
    return None


def _plain_value(param: dict[str, Any]) -> str:
    """A valid-looking value for a path parameter that is not a record id (a tag, a purpose, a kind)."""
    schema = param.get("schema", {})
    enum = schema.get("enum") or next((s.get("enum") for s in schema.get("allOf", []) if s.get("enum")), None)
    return str(enum[0]) if enum else "x"


def _leaks(response: Any, world: World) -> list[str]:
    text = response.content.decode(errors="replace")
    with contextlib.suppress(ValueError):  # JSON escapes non-ASCII: compare the decoded text too
        text += json.dumps(response.json(), ensure_ascii=False)
    return sorted(m for m in world.markers if m in text)


def _fingerprint() -> str:
    """A digest of every watched table: equal before and after means nothing was written."""
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label_lower):
        if model._meta.label_lower in UNWATCHED or not model._meta.managed:
            continue
        rows = list(model._default_manager.order_by("pk").values_list())
        digest.update(f"{model._meta.label_lower}{rows!r}".encode())
    return digest.hexdigest()


def _call(client: Any, method: str, url: str) -> Any:
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data="{}", content_type="application/json")


def test_the_schema_lists_endpoints_with_and_without_ids(client, world):
    operations = _operations(_schema(client))
    assert any("{" not in path and method == "get" for path, method, _ in operations)
    assert any("{person_id}" in path for path, _, _ in operations)


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_every_list_endpoint_shows_the_outsider_nothing_of_anyone_else(client, world, who):
    schema = _schema(client)
    if who == "outsider":
        client.force_login(world.outsider)
    problems = []
    calls = 0
    for path, method, op in _operations(schema):
        if method != "get" or "{" in path:
            continue
        urls = [path]
        for param in _params(op, "query"):
            if param["name"] in ("page", "page_size"):
                continue
            for pk in world.foreign_ids(_model_for(param["name"]), limit=2):
                urls.append(f"{path}?{param['name']}={pk}")
        for url in urls:
            response = client.get(url)
            calls += 1
            if response.status_code not in READ_OK:
                problems.append(f"{who} GET {url} → {response.status_code}")
            # Public-by-design endpoints (no security in the schema) may answer anyone; the leak check
            # below still holds them to showing no one's personal data.
            if who == "anonymous" and response.status_code == 200 and op.get("security"):
                problems.append(f"anonymous GET {url} → 200")
            if leaks := _leaks(response, world):
                problems.append(f"{who} GET {url} shows {leaks}")
    assert calls > 10
    assert problems == []


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_every_record_endpoint_refuses_the_outsider_the_records_of_others_like_missing_ones(client, world, who):
    schema = _schema(client)
    if who == "outsider":
        client.force_login(world.outsider)
    before = _fingerprint()
    problems = []
    swept = 0
    for path, method, op in _operations(schema):
        ids = [p for p in _params(op, "path") if p["name"].endswith("_id")]
        if not ids:
            continue
        plain = {p["name"]: _plain_value(p) for p in _params(op, "path") if not p["name"].endswith("_id")}
        candidates = {p["name"]: world.foreign_ids(_model_for(p["name"])) or [MISSING_ID] for p in ids}
        first = {name: values[0] for name, values in candidates.items()}
        missing = _call(client, method, path.format(**plain, **dict.fromkeys(candidates, MISSING_ID)))
        for name, values in candidates.items():
            for pk in values:
                url = path.format(**plain, **{**first, name: pk})
                response = _call(client, method, url)
                swept += 1
                verb = method.upper()
                if method == "get" and response.status_code not in REFUSED:
                    problems.append(f"{who} {verb} {url} → {response.status_code}")
                if response.status_code != missing.status_code:
                    problems.append(f"{who} {verb} {url} → {response.status_code}, missing → {missing.status_code}")
                if response.status_code < 400:
                    problems.append(f"{who} {verb} {url} succeeded ({response.status_code})")
                if leaks := _leaks(response, world):
                    problems.append(f"{who} {verb} {url} shows {leaks}")
    assert swept > 30
    assert problems == []
    assert _fingerprint() == before, "a refused call wrote something"


def test_the_sweep_would_notice_a_leak(client, world, personas):
    """The same sweep, for a community worker: they see their community's people, so it finds them."""
    client.force_login(personas["community_worker"])
    response = client.get("/api/v1/people")
    assert _leaks(response, world)
    person = Person.objects.get(name="居民grid")
    assert client.get(f"/api/v1/people/{person.pk}").status_code == 200
    assert Building.objects.exists()
