"""The generated scope matrix (issue 14): what every endpoint and page is, read from the OpenAPI schema and
the URL configuration, and what each of its path parameters stands for.

The matrix is not a list of endpoints: it is a list of *parameters*. Every operation of /api/v1 and every
page of the URLconf is exercised, and each path parameter is filled with records placed in three
communities (one of the README accounts', another of the same street, one of another street), so a new
endpoint is in the matrix the moment it exists. What a newcomer must add is only a new parameter's line in
``API_PARAMS`` (or ``PAGE_PARAMS`` for a page's ``pk``): until then the gate test fails, naming it.

The oracle is independent of the policies it checks: a persona may see a record placed in a region that
lies inside one of its role assignments' regions or above one of them (district-wide settings, its street's
projects), and nothing placed beside them. Records that are public by design are listed in ``PUBLIC`` with
the reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Kind:
    """What a path parameter names: a model, where its records are placed (lookups that end at a Region,
    or at a ``*_path`` string), and, for a record that lives inside another, the parameter and attribute
    of its parent (``photo_id`` inside ``ticket_id``)."""

    model: str
    places: tuple[str, ...] = ()
    parent: tuple[str, str] | None = None
    owner: str = ""  # a lookup to the user whose record it is (notifications): only they may see it
    public: tuple[tuple[str, Any], ...] = ()  # a filter for the records that are public by design
    where: tuple[tuple[str, Any], ...] = ()  # only such records make sense here (staff, not residents)
    why_unplaced: str = ""  # for a kind with no place: why its scope is a role's, not a region's

    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)


# A path parameter that is a value, not a record: the value the matrix sends.
VALUES: dict[str, str] = {
    "action": "accept",
    "tag": "elderly_alone",
    "purpose": "notifications",
    "kind": "residents",
    "field": "phone",
    "slug": "requests",
    "external_id": "12345-MATRIX-1",
}

TICKET_PLACES = ("region", "queue_region", "handler_region")

# Every record parameter of /api/v1, by name (the name is the same wherever it appears, except where
# ``API_OVERRIDES`` says otherwise for a path).
API_PARAMS: dict[str, Kind] = {
    "ticket_id": Kind("tickets.Ticket", TICKET_PLACES),
    "photo_id": Kind("tickets.TicketPhoto", tuple(f"ticket__{p}" for p in TICKET_PLACES), ("ticket_id", "ticket_id")),
    "delivery_id": Kind("tickets.CallbackDelivery", tuple(f"ticket__{p}" for p in TICKET_PLACES)),
    "source_id": Kind("tickets.Source", ("region",)),
    "rule_id": Kind("tickets.RoutingRule", ("region", "handler_region")),
    "category_id": Kind("tickets.Category", why_unplaced="the district's catalogue: tickets.configure"),
    "policy_id": Kind("tickets.TimeLimitPolicy", why_unplaced="the district's time limits: tickets.configure"),
    "holiday_id": Kind("tickets.Holiday", why_unplaced="the state calendar: tickets.configure"),
    "region_id": Kind("regions.Region", ("",)),
    "building_id": Kind("regions.Building", ("region",)),
    "dwelling_id": Kind("regions.Dwelling", ("region",)),
    "person_id": Kind("people.Person", ("region",)),
    "household_id": Kind("people.Household", ("region",)),
    "ownership_id": Kind("people.Ownership", ("person__region", "dwelling__region")),
    "request_id": Kind("people.DataRequest", ("person__region",)),
    "job_id": Kind("core.ImportJob", ("region_path",)),
    "user_id": Kind(
        "accounts.User", ("role_assignments__region",), where=(("role_assignments__role", "community_worker"),)
    ),
    "assignment_id": Kind("accounts.RoleAssignment", ("region",), ("user_id", "user_id")),
    "attempt_id": Kind("axes.AccessAttempt", why_unplaced="sign-in lockouts: the security admin's"),
    "organisation_id": Kind("organisations.Organisation", ("region",)),
    "membership_id": Kind(
        "organisations.Membership", ("organisation__region",), ("organisation_id", "organisation__id")
    ),
    "entry_id": Kind("audit.AuditEntry", ("region_path",)),
    "notification_id": Kind("notifications.Notification", owner="user"),
    "compound_id": Kind("regions.Region", ("",), where=(("kind", "compound"),)),
    "topic_id": Kind("deliberation.Topic", ("compound",)),
    "comment_id": Kind("deliberation.Comment", ("topic__compound",)),
    "action_id": Kind("deliberation.Action", ("compound",)),
    "vote_id": Kind("deliberation.Vote", ("compound",)),
    "document_id": Kind("deliberation.VoteDocument", ("vote__compound",), ("vote_id", "vote_id")),
    "meeting_id": Kind("deliberation.Meeting", ("compound",)),
    "attendance_id": Kind("deliberation.Attendance", ("meeting__compound",), ("meeting_id", "meeting_id")),
    "party_id": Kind("deliberation.Party", ("compound",)),
    "member_id": Kind("deliberation.PartyMember", ("party__compound",)),
    "project_id": Kind("charity.Project", ("region",), public=(("status", "published"),)),
    "report_id": Kind("charity.ProgressReport", ("project__region",), ("project_id", "project_id")),
    "need_id": Kind("charity.Need", ("region",), public=(("project__status", "published"),)),
    "claim_id": Kind("charity.Claim", ("need__region",)),
    "donation_id": Kind("charity.Donation", ("project__region",), owner="donor"),
    "roadshow_id": Kind("charity.Roadshow", ("region",)),
    "facility_id": Kind("circles.Facility", ("region",)),
    "run_id": Kind("circles.CoverageRun", ("region",)),
    "circle_category_id": Kind("circles.Category", why_unplaced="the district's facility catalogue: circles.configure"),
}

# Query parameters that name a region (a filter narrowing a list or a figure): the matrix sends each of the
# three communities; one beside the persona's regions must be refused, never silently dropped.
QUERY_REGIONS = ("region", "handler_region")
# Required query parameters that are values.
QUERY_VALUES: dict[str, str] = {"rate": "response", "part": "on_time", "category": "breakfast"}

# Where the same name means another record on one path.
API_OVERRIDES: dict[tuple[str, str], Kind] = {
    ("/api/v1/charity/ledger/{entry_id}/correct", "entry_id"): Kind("charity.LedgerEntry", ("project__region",)),
}

# A page's parameter named ``pk`` (or another name that means something else there), by URL name.
PAGE_PARAMS: dict[tuple[str, str], str] = {
    ("regions:region-detail", "pk"): "region_id",
    ("regions:region-children-export", "pk"): "region_id",
    ("regions:building-export", "pk"): "region_id",
    ("regions:building-detail", "pk"): "building_id",
    ("regions:dwelling-export", "pk"): "building_id",
    ("tickets:mine-detail", "pk"): "ticket_id",
    ("tickets:ticket-detail", "pk"): "ticket_id",
    ("tickets:routing-rule-delete", "pk"): "rule_id",
    ("tickets:photo-file", "pk"): "ticket_id",
    ("tickets:photo-add", "pk"): "ticket_id",
    ("tickets:ticket-merge", "pk"): "ticket_id",
    ("tickets:settings-category-edit", "pk"): "category_id",
    ("tickets:settings-time-limit-edit", "pk"): "policy_id",
    ("tickets:settings-time-limit-delete", "pk"): "policy_id",
    ("tickets:settings-holiday-edit", "pk"): "holiday_id",
    ("tickets:settings-holiday-delete", "pk"): "holiday_id",
    ("circles:run-detail", "pk"): "run_id",
    ("circles:category-edit", "pk"): "circle_category_id",
    ("circles:facility-edit", "pk"): "facility_id",
}

# Reads that show records of every place by design, with the reason. Their answers are not searched for
# other places (their records still answer 404 outside scope where they are not public).
PUBLIC: dict[str, str] = {
    "/api/v1/regions": "the region tree: every signed-in staff member picks places from it",
    "/api/v1/regions/{region_id}": "a region's name and code are public facts (GB/T 2260, 统计用区划代码)",
    "/api/v1/regions/map/features": "the district's outline map, drawn for everyone",
    "/api/v1/regions/map/extent": "the district's outline map, drawn for everyone",
    "/api/v1/regions/resolve": "an address look-up against the public gazetteer",
    "/api/v1/charity/projects/public": "published projects are public (公益行 on the portal)",
    "/api/v1/charity/projects/{project_id}/public": "published projects are public (公益行 on the portal)",
    "/api/v1/charity/roadshows/{roadshow_id}/totals": "a roadshow's board is shown on a screen at the event",
    "/api/v1/circles/map/streets": "the 15-minute circles map is public (幸福圈)",
    "/api/v1/circles/coverage": "the 15-minute circles map is public (幸福圈)",
    "/api/v1/circles/sites": "facilities are public places (幸福圈)",
    "/api/v1/circles/near-me": "facilities are public places (幸福圈)",
    "/api/v1/circles/gaps": "the 15-minute circles map is public (幸福圈)",
    "/api/v1/tickets/categories": "the district's catalogue",
    "/api/v1/deliberation/compounds": "a compound's name is a public place name",
    "/api/v1/deliberation/compounds/{compound_id}/actions": "a compound's actions are published (实事公开)",
    "deliberation:action-public": "a compound's actions are published (实事公开)",
    "regions:map-tiles": "the district's outline map, drawn for everyone",
    "regions:address-lookup": "an address look-up against the public gazetteer",
    "circles:coverage-map": "the 15-minute circles map is public (幸福圈)",
    "circles:near-me": "facilities are public places (幸福圈)",
    "charity:project-list": "published projects are public (公益行 on the portal)",
    "charity:project-detail": "published projects are public (公益行 on the portal)",
    "charity:roadshow-board": "a roadshow's board is shown on a screen at the event",
    "charity:roadshow-board-live": "a roadshow's board is shown on a screen at the event",
    "charity:report-photo": "a published project's progress photos are public",
    "portal:module-detail": "the resident portal's module pages show public places",
}

# Reads of one's own records, wherever they are placed (a resident reports a pothole in another street).
OWN: dict[str, str] = {
    "/api/v1/tickets/mine": "the reporter's own tickets",
    "tickets:mine-list": "the reporter's own tickets",
    "tickets:mine-detail": "the reporter's own ticket",
    "/api/v1/charity/donations/mine": "the donor's own donations",
    "charity:giving-mine": "the donor's own donations and claims",
    "portal:request-list": "the resident's own requests",
}

# Pages the matrix reaches only as a refusal on the demo district, and why (their journeys are tested in
# their apps). Shrink this list; every entry is a page whose in-scope answer the matrix does not see.
NOT_REACHED: dict[str, str] = {
    "deliberation:meeting-minutes": "the demo's meetings have no minutes file yet",
    "deliberation:vote-record": "only a closed vote has a record; the matrix picks an open one",
    "/api/v1/deliberation/votes/{vote_id}/record": "only a closed vote has a record; the matrix picks an open one",
    "notifications:outbox-list": "the SMS outbox exists only with the console SMS backend",
    "portal:module-detail": "a module's slug, not a record",
    "regions:map-tiles": "only once a tiles file is built (make tiles)",
    "tickets:figures-tickets": "needs rate and part in the query",
    "tickets:mine-detail": "a reporter's own ticket: the matrix's samples are not the personas' own",
}

# Pages that are not the app's to scope: sign-in and sign-up, the language switch, Open311 (public by the
# GeoReport v2 standard, its personal data masked; tested in tickets/tests/test_open311*.py), the admin.
SKIP_PAGES = (
    "accounts:login",
    "accounts:login-code",
    "accounts:logout",
    "accounts:signup",
    "accounts:signup-verify",
    "accounts:reset",
    "accounts:reset-verify",
    "set_language",
)
SKIP_PAGE_PREFIXES = ("api/", "admin/", "open311/", "static/", "media/", "favicon", "^api/")

PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # as the schema writes it, with {name} placeholders
    query: tuple[str, ...] = ()  # its query parameters' names

    @property
    def params(self) -> list[str]:
        return PARAM.findall(self.path)


@cache
def openapi_schema() -> dict[str, Any]:
    """The schema as a client reads it (through the URL configuration, like every other caller)."""
    from django.test import Client

    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def api_operations() -> list[Operation]:
    schema = openapi_schema()
    return [
        Operation(method.upper(), path, tuple(q["name"] for q in spec.get("parameters", []) if q["in"] == "query"))
        for path, item in schema["paths"].items()
        for method, spec in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def api_kind(op: Operation, name: str) -> Kind | None:
    return API_OVERRIDES.get((op.path, name)) or API_PARAMS.get(name)


@dataclass(frozen=True)
class Page:
    name: str
    route: str  # as the URLconf writes it, with <conv:name> placeholders
    params: tuple[str, ...]


ROUTE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), f"{namespace}:{entry.name}".strip(":")


def pages() -> list[Page]:
    found = []
    for route, name in _walk(get_resolver()):
        if route.startswith(SKIP_PAGE_PREFIXES) or name in SKIP_PAGES:
            continue
        found.append(Page(name, route, tuple(ROUTE_PARAM.findall(route))))
    return found


def page_kind(page: Page, name: str) -> Kind | None:
    return API_PARAMS.get(PAGE_PARAMS.get((page.name, name), name))


def unknown_parameters() -> list[str]:
    """Every path parameter the matrix cannot fill: each is a new endpoint without a scope test."""
    missing = []
    for op in api_operations():
        for name in op.params:
            if name not in VALUES and api_kind(op, name) is None:
                missing.append(f"{op.method} {op.path}: {{{name}}}")
    for page in pages():
        for name in page.params:
            if name not in VALUES and page_kind(page, name) is None:
                missing.append(f"page {page.name} ({page.route}): <{name}>")
    for kind in {*API_PARAMS.values(), *API_OVERRIDES.values()}:
        if not kind.places and not kind.owner and not kind.why_unplaced:
            missing.append(f"{kind.model}: no place, no owner and no reason why")
    return missing
