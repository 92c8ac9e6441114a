"""Open311 GeoReport v2 server (Open311 接口) under /open311/v2/: plain Django views, because the spec
wants XML as well as JSON and form-encoded POSTs.

Every endpoint takes its format from the extension (``.json`` / ``.xml``). Services are the active
categories of the catalogue, each with the same attributes (kind, urgency, anonymous, confidential).
GET answers never show who reported and leave out confidential tickets and reports of wrongdoing (举报);
their descriptions are scrubbed of phone and id numbers. Every id is a string. A POST normally answers
with the ``service_request_id``; a client that prefers tokens sends ``respond_with=token`` (an extension)
and resolves the token later through ``tokens/{token}``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from jishiyu.core.errors import DomainError
from jishiyu.core.masking import scrub
from jishiyu.tickets import hotline
from jishiyu.tickets.models import FINAL_STATUSES, Category, Channel, Kind, Status, Ticket, Urgency
from jishiyu.tickets.open311_format import JSON, Open311Error, render, render_error

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2025-01-01T00:00:00+08:00"
MAX_RANGE = timedelta(days=90)
DEFAULT_PAGE_SIZE = 1000
MAX_PAGE_SIZE = 1000
TOKEN_SALT = "jishiyu.open311.token"
OPEN, CLOSED = "open", "closed"

View = Callable[..., HttpResponse]


def open311_view(methods: tuple[str, ...]) -> Callable[[View], View]:
    """Format from the URL, the spec's error list for every refusal (never a 500 page for bad input)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str = JSON, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in methods:
                    raise Open311Error(405, _("Method not allowed."))
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as exc:
                return render_error(fmt, exc)
            except DomainError as exc:
                return render_error(fmt, _as_open311(exc))

        return csrf_exempt(wrapper)

    return decorate


API_KEY_MISSING = gettext_lazy("Send your api_key with the request.")
OPEN311_FIELD = {"lon": "long", "content": "description", "category": "service_code"}  # our names → Open311's


def _as_open311(exc: DomainError) -> Open311Error:
    status = {401: 403, 422: 400}.get(exc.status, exc.status)
    if exc.errors:
        descriptions = [
            f"{OPEN311_FIELD.get(field, field)}: {message}"
            for field, messages in exc.errors.items()
            for message in messages
        ]
    else:
        descriptions = [str(exc.message)]
    return Open311Error(status, *descriptions)


# --- services (the catalogue) ---------------------------------------------------------------------


def _categories() -> list[Category]:
    seen: dict[str, Category] = {}
    for category in Category.objects.filter(active=True).select_related("parent").order_by("code", "-version"):
        seen.setdefault(category.code, category)
    return list(seen.values())


def _category(code: str) -> Category:
    category = Category.objects.filter(active=True, code=code).order_by("-version").first()
    if category is None:
        raise Open311Error(404, _("Unknown service_code: %(code)s.") % {"code": code})
    return category


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.display_name,  # in the request's language (Accept-Language), Chinese by default
        "description": str(category.get_domain_display()),
        "metadata": True,
        "type": "realtime",
        "keywords": category.keywords.replace("，", ",").replace(" ", ","),
        "group": category.parent.display_name if category.parent else str(category.get_domain_display()),
    }


def _choices(choices: list[tuple[str, Any]]) -> list[dict[str, str]]:
    return [{"key": key, "name": str(name)} for key, name in choices]


def _attributes() -> list[dict[str, Any]]:
    yes_no: list[tuple[str, Any]] = [("false", _("No")), ("true", _("Yes"))]
    specs: list[tuple[str, list[tuple[str, Any]], str]] = [
        ("kind", Kind.choices, _("What kind of request this is (default: enquiry).")),
        ("urgency", Urgency.choices, _("How urgent it is (default: normal).")),
        ("anonymous", yes_no, _("Hide who reported from everyone handling it.")),
        ("confidential", yes_no, _("Keep the request out of public lists.")),
    ]
    return [
        {
            "variable": True,
            "code": code,
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "",
            "order": order,
            "description": str(description),
            "values": _choices(choices),
        }
        for order, (code, choices, description) in enumerate(specs, start=1)
    ]


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


@open311_view(("GET",))
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """发现: where the endpoint lives and which formats it speaks."""
    endpoint = {
        "specification": SPEC_URL,
        "url": _absolute(request, "/open311/v2/"),
        "changeset": CHANGESET,
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }
    body = {
        "changeset": CHANGESET,
        "contact": getattr(settings, "OPEN311_CONTACT", "") or _("The district's service desk"),
        "key_service": _("Ask the district administrator for an api_key."),
        "endpoints": [endpoint],
    }
    return render(fmt, "discovery", body)


@open311_view(("GET",))
def service_list(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """服务列表: the active categories."""
    return render(fmt, "services", [_service(c) for c in _categories()])


@open311_view(("GET",))
def service_definition(request: HttpRequest, service_code: str, *, fmt: str) -> HttpResponse:
    """服务定义: the attributes a POST may send."""
    category = _category(service_code)
    return render(fmt, "service_definition", {"service_code": category.code, "attributes": _attributes()})


# --- requests -------------------------------------------------------------------------------------


def _public(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return qs.filter(confidential=False).exclude(kind=Kind.REPORT)


def _datetime(name: str, raw: str) -> datetime:
    value = parse_datetime(raw.strip().replace(" ", "+")) if raw else None  # "+08:00" arrives as " 08:00"
    if value is None and raw:
        day = parse_date(raw.strip())
        if day is not None:
            value = datetime(day.year, day.month, day.day)
    if value is None:
        raise Open311Error(400, _("%(name)s is not an ISO 8601 date and time.") % {"name": name})
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _int(name: str, raw: str, default: int, low: int, high: int) -> int:
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        message = _("%(name)s must be a whole number from %(low)s to %(high)s.")
        raise Open311Error(400, message % {"name": name, "low": low, "high": high})
    return value


def _open311_status(ticket: Ticket) -> str:
    return CLOSED if ticket.status in FINAL_STATUSES else OPEN


def _request_out(ticket: Ticket) -> dict[str, Any]:
    agency = ticket.handler_org or ticket.handler_region
    return {
        "service_request_id": str(ticket.pk),
        "status": _open311_status(ticket),
        "status_notes": str(Status(ticket.status).label),
        "service_name": ticket.category.display_name if ticket.category else "",
        "service_code": ticket.category.code if ticket.category else "",
        "description": scrub(ticket.content),
        "agency_responsible": str(agency) if agency else "",
        "service_notice": "",
        "requested_datetime": timezone.localtime(ticket.received_at).isoformat(),
        "updated_datetime": timezone.localtime(ticket.updated_at).isoformat(),
        "expected_datetime": timezone.localtime(ticket.due_at).isoformat() if ticket.due_at else None,
        "address": scrub(ticket.address),
        "address_id": "",
        "zipcode": "",
        "lat": ticket.lat,
        "long": ticket.lon,
        "media_url": "",
    }


def _base() -> QuerySet[Ticket]:
    return _public(Ticket.objects.all()).select_related("category", "handler_org", "handler_region")


def request_filter(params: Any, *, now: datetime | None = None) -> QuerySet[Ticket]:
    """查询工单: the spec's filters, its 90-day default window and the page/page_size extension."""
    now = now or timezone.now()
    qs = _base().order_by("-received_at", "-pk")
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        # The spec: a list of ids overrides every other filter.
        return qs.filter(pk__in=[int(i) for i in ids if i.isdigit()][:MAX_PAGE_SIZE])
    codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
    if codes:
        qs = qs.filter(category__code__in=codes)
    start_raw, end_raw = params.get("start_date", ""), params.get("end_date", "")
    start = _datetime("start_date", start_raw) if start_raw else None
    end = _datetime("end_date", end_raw) if end_raw else None
    if start and end and end < start:
        raise Open311Error(400, _("end_date lies before start_date."))
    if start and end and end - start > MAX_RANGE:
        raise Open311Error(400, _("end_date may be at most 90 days after start_date."))
    after_raw, before_raw = params.get("updated_after", ""), params.get("updated_before", "")
    after = _datetime("updated_after", after_raw) if after_raw else None
    before = _datetime("updated_before", before_raw) if before_raw else None
    if start is None and end is None and after is None and before is None:
        start = now - MAX_RANGE  # the spec's default: the last 90 days
    elif start is not None and end is None:
        end = start + MAX_RANGE
    elif end is not None and start is None:
        start = end - MAX_RANGE
    if start is not None:
        qs = qs.filter(received_at__gte=start)
    if end is not None:
        qs = qs.filter(received_at__lte=end)
    if after is not None:
        qs = qs.filter(updated_at__gt=after)
    if before is not None:
        qs = qs.filter(updated_at__lt=before)
    statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
    if statuses - {OPEN, CLOSED}:
        raise Open311Error(400, _("status must be open or closed."))
    if statuses == {OPEN}:
        qs = qs.exclude(status__in=FINAL_STATUSES)
    elif statuses == {CLOSED}:
        qs = qs.filter(status__in=FINAL_STATUSES)
    return qs


@open311_view(("GET", "POST"))
def requests(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """工单: GET lists (filters), POST files a new request."""
    if request.method == "POST":
        return _create(request, fmt)
    page = _int("page", request.GET.get("page", ""), 1, 1, 1_000_000)
    size = _int("page_size", request.GET.get("page_size", ""), DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    qs = request_filter(request.GET)
    start = (page - 1) * size
    return render(fmt, "service_requests", [_request_out(t) for t in qs[start : start + size]])


@open311_view(("GET",))
def request_detail(request: HttpRequest, service_request_id: str, *, fmt: str) -> HttpResponse:
    """一张工单."""
    ticket = _base().filter(pk=int(service_request_id)).first() if service_request_id.isdigit() else None
    if ticket is None:
        raise Open311Error(404, _("Unknown service_request_id: %(id)s.") % {"id": service_request_id})
    return render(fmt, "service_requests", [_request_out(ticket)])


def token_for(ticket: Ticket) -> str:
    return signing.Signer(salt=TOKEN_SALT).sign(str(ticket.pk)).replace(":", "-")


@open311_view(("GET",))
def token_detail(request: HttpRequest, token: str, *, fmt: str) -> HttpResponse:
    """令牌: the request id behind a token."""
    try:
        ticket_id = signing.Signer(salt=TOKEN_SALT).unsign(token.replace("-", ":", 1) if ":" not in token else token)
    except signing.BadSignature:
        ticket_id = ""
    if not ticket_id.isdigit() or not Ticket.objects.filter(pk=int(ticket_id)).exists():
        raise Open311Error(404, _("Unknown token."))
    return render(fmt, "service_requests", [{"service_request_id": ticket_id, "token": token}])


def _flag(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("", "false", "0", "no"):
        return False
    if value in ("true", "1", "yes"):
        return True
    raise Open311Error(400, _("attribute[%(name)s] must be true or false.") % {"name": name})


def _float(name: str, raw: str) -> float | None:
    if not raw.strip():
        return None
    try:
        return float(raw)
    except ValueError:
        raise Open311Error(400, _("%(name)s is not a number.") % {"name": name}) from None


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    source = hotline.source_for_key(data.get("api_key", ""), channel=Channel.OPEN311, missing=API_KEY_MISSING)
    missing = [name for name in ("service_code", "description") if not data.get(name, "").strip()]
    if missing:
        raise Open311Error(400, *[_("%(name)s is required.") % {"name": name} for name in missing])
    category = _category(data["service_code"].strip())
    lat, lon = _float("lat", data.get("lat", "")), _float("long", data.get("long", ""))
    address = data.get("address_string", "").strip() or data.get("address_id", "").strip()
    if (lat is None or lon is None) and not address:
        raise Open311Error(400, _("A location is required: lat and long, address_string or address_id."))
    name = " ".join(p for p in (data.get("last_name", "").strip(), data.get("first_name", "").strip()) if p)
    description = data["description"].strip()
    if len(description) > 4000:
        raise Open311Error(400, _("description: at most 4,000 characters."))
    if data.get("media_url", "").strip():
        description += "\n" + data["media_url"].strip()[:500]
    intake = hotline.Intake(
        external_id="",
        content=description[:4000],
        kind=data.get("attribute[kind]", "") or Kind.ENQUIRY,
        category=category.code,
        caller_name=name[:50],
        caller_phone=data.get("phone", "").strip()[:30],
        anonymous=_flag("anonymous", data.get("attribute[anonymous]", "")),
        confidential=_flag("confidential", data.get("attribute[confidential]", "")),
        address=address[:255],
        lon=lon,
        lat=lat,
        urgency=data.get("attribute[urgency]", "") or Urgency.NORMAL,
    )
    ticket, _created = hotline.ticket_receive(source=source, intake=intake)
    answer: dict[str, Any] = {"service_notice": "", "account_id": None}
    if data.get("respond_with", "") == "token":
        answer = {"token": token_for(ticket), **answer}
    else:
        answer = {"service_request_id": str(ticket.pk), **answer}
    return render(fmt, "service_requests", [answer], status=201)
