"""API plumbing shared by every app's router: RFC 9457 problem details and page-number pagination
that answers ``{"items": [...], "count": N, "next": URL|null}``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase

from jishiyu.core.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemOut(Schema):
    """RFC 9457 problem details, with ``errors`` mapping a field to its messages."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    code: str | None = None
    errors: dict[str, list[str]] = Field(default_factory=dict)


def problem(
    request: HttpRequest,
    api: NinjaAPI,
    status: int,
    title: str,
    *,
    detail: str | None = None,
    code: str | None = None,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if code:
        body["code"] = code
    if errors:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    return response


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    # ninja reports ("body", "payload", "phone"); the person wants "phone".
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "file", "payload", "header", "cookie")]
    return ".".join(parts) or "__all__"


def _pydantic_message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind in ("string_too_long",):
        return _("Too long: at most %(n)s characters.") % {"n": err.get("ctx", {}).get("max_length", "?")}
    if kind in ("string_too_short",):
        return _("Too short: at least %(n)s characters.") % {"n": err.get("ctx", {}).get("min_length", "?")}
    if kind.startswith("int") or kind.startswith("float") or kind.startswith("decimal"):
        return _("Enter a number.")
    if kind.startswith("datetime") or kind.startswith("date"):
        return _("Enter a valid date and time (ISO 8601).")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind in ("enum", "literal_error"):
        return _("Not one of the allowed values.")
    if kind == "json_invalid":
        return _("The body is not valid JSON.")
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error") or err.get("msg", _("Invalid value.")))
    return _("Invalid value.")


def install_problem_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        errors = {k: [str(m) for m in v] for k, v in exc.errors.items()}
        return problem(request, api, exc.status, str(exc.message), code=exc.code, errors=errors)

    @api.exception_handler(NinjaValidationError)
    def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for err in exc.errors:
            errors.setdefault(_field_name(err.get("loc", ())), []).append(_pydantic_message(err))
        return problem(request, api, 422, _("Some fields are not valid."), code="invalid", errors=errors)

    @api.exception_handler(AuthenticationError)
    def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(request, api, 401, _("Sign in first: send a valid token."), code="unauthenticated")

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(request, api, exc.status_code, str(exc.message))


MAX_PAGE_SIZE = 500
MAX_PAGE = 10_000_000


class PageNumberPagination(PaginationBase):
    """``?page=&page_size=`` → ``{"items", "count", "next"}``."""

    class Input(Schema):
        # Bounded so the offset stays a 64-bit integer on every database (SQLite overflowed on a page of 20 digits).
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)

    class Output(Schema):
        items: list[Any]
        count: int
        next: str | None = None

    items_attribute = "items"

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> dict[str, Any]:
        start = (pagination.page - 1) * pagination.page_size
        count = queryset.count() if hasattr(queryset, "count") and not isinstance(queryset, list) else len(queryset)
        items = list(queryset[start : start + pagination.page_size]) if start < count else []
        next_url = None
        if start + pagination.page_size < count:
            query = request.GET.copy()
            query["page"] = str(pagination.page + 1)
            query["page_size"] = str(pagination.page_size)
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return {"items": items, "count": count, "next": next_url}
