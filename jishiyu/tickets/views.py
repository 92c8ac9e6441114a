"""Pages of the tickets app: residents (提交诉求, 我的诉求), grid workers (现场上报) and staff (工单队列,
工单详情, 批量派单, 地图). Thin: every write is a service call, every read a selector."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jishiyu.core.errors import DomainError, NotFound
from jishiyu.core.errors import PermissionDenied as DomainPermissionDenied
from jishiyu.core.pages import scoped
from jishiyu.core.scope import subtree_q
from jishiyu.organisations.models import Organisation
from jishiyu.regions.models import Region
from jishiyu.tickets import escalation, photos, selectors, services
from jishiyu.tickets.forms import (
    ActionForm,
    FieldReportForm,
    PhotoAddForm,
    RateForm,
    TicketCreateForm,
    add_domain_error,
)
from jishiyu.tickets.models import Channel, Kind, Ticket
from jishiyu.tickets.transitions import TRANSITIONS

PAGE_SIZE = 50
QUEUE_LABELS = {
    "to_dispatch": gettext_lazy("To dispatch"),
    "to_sign_for": gettext_lazy("To sign for"),
    "due_soon": gettext_lazy("Due soon"),
    "overdue": gettext_lazy("Overdue"),
    "to_review": gettext_lazy("To review"),
    "to_follow_up": gettext_lazy("To follow up"),
    "all": gettext_lazy("All open"),
}


class CappedPaginator(Paginator[Ticket]):
    """Counts at most COUNT_CAP rows: a long queue shows "10,000+" pages' worth without counting a million."""

    COUNT_CAP = 10_000

    @cached_property
    def count(self) -> int:
        return int(self.object_list[: self.COUNT_CAP].count())  # type: ignore[attr-defined]


def _map_settings() -> dict[str, Any]:
    return {"tile_url": getattr(settings, "MAP_TILE_URL", "")}


# --- residents -----------------------------------------------------------------------------------------


@scoped
def ticket_create(request: HttpRequest) -> HttpResponse:
    """提交诉求."""
    form = TicketCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket, _created = services.ticket_create(
                actor=request.user,
                channel=Channel.PORTAL,
                kind=data["kind"],
                category=data["category"] or None,
                content=data["content"],
                address=data["address"],
                lon=data["lon"],
                lat=data["lat"],
                photos=data["photos"],
                anonymous=data["anonymous"],
                confidential=data["confidential"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your request #%(id)s has been received.") % {"id": ticket.pk})
            return redirect("tickets:mine-detail", ticket.pk)
    status = 422 if form.errors else 200
    context = {"form": form, "tab": "requests", **_map_settings()}
    return render(request, "tickets/ticket_create.html", context, status=status)


@scoped
def mine_list(request: HttpRequest) -> HttpResponse:
    """我的诉求."""
    return render(request, "tickets/mine_list.html", mine_context(request))


def mine_context(request: HttpRequest) -> dict[str, Any]:
    """Context of the resident's list (also used by the portal's 我的诉求 tab)."""
    tickets = list(selectors.my_tickets(actor=request.user)[:100])
    return {"tickets": tickets, "tab": "requests"}


@scoped
def mine_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """一条诉求的进度与评价."""
    ticket = selectors.my_ticket_get(actor=request.user, ticket_id=pk)
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ticket_rate(
                actor=request.user,
                ticket=ticket,
                solved=form.cleaned_data["solved"],
                satisfied=form.cleaned_data["satisfied"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Thank you for your answer."))
            return redirect("tickets:mine-detail", ticket.pk)
    context = {
        "ticket": ticket,
        "place": selectors.ticket_place(ticket=ticket),
        "steps": selectors.resident_steps(ticket=ticket),
        "form": form,
        "answer": selectors.resident_ticket_view(ticket=ticket),
        "follow_up": ticket.follow_ups.order_by("-answered_at").first(),
        "labels": selectors.TRANSITION_LABELS,
        "tab": "requests",
        "photos": list(ticket.photos.order_by("uploaded_at", "pk")),
        "may_add_photos": photos.may_add(request.user, ticket),
    }
    return render(request, "tickets/mine_detail.html", context, status=422 if form.errors else 200)


# --- grid workers --------------------------------------------------------------------------------------


@scoped
def ticket_report(request: HttpRequest) -> HttpResponse:
    """网格员现场上报."""
    user: Any = request.user
    if not user.has_perm_anywhere("tickets.report"):
        raise Http404()
    form = FieldReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket, _created = services.ticket_create(
                actor=user,
                channel=Channel.GRID,
                kind=Kind.OTHER,
                category=data["category"],
                content=data["content"],
                address=data["address"],
                lon=data["lon"],
                lat=data["lat"],
                urgency=data["urgency"],
                photos=data["photos"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Reported as ticket #%(id)s.") % {"id": ticket.pk})
            return redirect("tickets:ticket-detail", ticket.pk)
    context = {"form": form, **_map_settings()}
    return render(request, "tickets/ticket_report.html", context, status=422 if form.errors else 200)


# --- staff ---------------------------------------------------------------------------------------------


def _staff(request: HttpRequest) -> Any:
    user: Any = request.user
    if not user.has_perm_anywhere("tickets.view") and not user.has_perm_anywhere("tickets.view_department"):
        raise Http404()
    return user


def handler_choices(actor: Any) -> list[tuple[str, str]]:
    """Regions the actor dispatches to (streets, communities, grids) and the departments."""
    paths = actor.region_paths_for("tickets.dispatch")
    if not paths:
        return []
    regions = Region.objects.filter(subtree_q("path", paths), kind__in=["street", "park", "community", "grid"])
    choices = [(f"r:{r.pk}", f"{'　' * max(r.depth - 1, 0)}{r.name}") for r in regions.order_by("path")[:500]]
    departments = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, active=True).order_by("name")
    choices += [(f"o:{o.pk}", f"{o.name}") for o in departments[:200]]
    return choices


@scoped
def ticket_list(request: HttpRequest) -> HttpResponse:
    """工单队列."""
    user = _staff(request)
    queue = request.GET.get("queue", "all")
    if queue not in selectors.QUEUES:
        queue = "all"
    filters = {k: request.GET.get(k, "") for k in ("status", "kind", "channel", "q")}
    qs = selectors.ticket_queue(actor=user, queue=queue, filters=filters)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.queue_counts(actor=user)
    context = {
        "page": page,
        "queue": queue,
        "queues": [(name, QUEUE_LABELS[name], counts.get(name)) for name in selectors.QUEUES],
        "filters": filters,
        "may_dispatch": user.has_perm_anywhere("tickets.dispatch"),
        "may_report": user.has_perm_anywhere("tickets.report"),
        "handlers": handler_choices(user) if queue == "to_dispatch" else [],
    }
    template = "tickets/_ticket_table.html" if request.headers.get("HX-Request") else "tickets/ticket_list.html"
    return render(request, template, context)


@scoped
@require_POST
def ticket_bulk_dispatch(request: HttpRequest) -> HttpResponse:
    """批量派单."""
    user = _staff(request)
    handler = selectors.parse_handler(request.POST.get("handler", ""))
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    if not handler or not ids:
        messages.error(request, _("Choose tickets and a handler."))
        return redirect(reverse("tickets:ticket-list") + "?queue=to_dispatch")
    tickets, missing = selectors.tickets_to_dispatch(actor=user, ids=ids)
    done, refused = services.ticket_bulk_dispatch(actor=user, tickets=tickets, **handler)
    refused.update({pk: str(selectors.NOT_WAITING) for pk in missing})
    messages.success(request, _("%(n)d tickets dispatched.") % {"n": len(done)})
    for pk, reason in refused.items():
        messages.error(request, f"#{pk}: {reason}")
    return redirect(reverse("tickets:ticket-list") + "?queue=to_dispatch")


# The step that moves the ticket forward, opened on the ticket page (the others stay folded): after
# sign-for that is the reply, not the return, which is the exception.
FORWARD_STEPS = (
    "dispatch",
    "sign_for",
    "reply",
    "approve_reply",
    "approve_return",
    "approve_extension",
    "approve_screening",
    "follow_up",
    "close",
    "redispatch",
    "handle",
)


def forward_step(actions: list[str]) -> str:
    """The one step to show open: the first forward step the actor may take (else none is opened)."""
    return next((step for step in FORWARD_STEPS if step in actions), "")


@scoped
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """工单详情: the whole history and the steps the actor may take."""
    user: Any = request.user
    ticket = selectors.ticket_get(actor=user, ticket_id=pk)
    if ticket.reporter_id == user.pk and not user.is_staff_member:
        return redirect("tickets:mine-detail", ticket.pk)
    form = ActionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            services.ticket_act(actor=user, ticket=ticket, action=action, data=form.cleaned_data)
        except NotFound:
            raise
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": TRANSITIONS[action].label})
            return redirect("tickets:ticket-detail", ticket.pk)
    actions = selectors.ticket_actions(actor=user, ticket=ticket)
    open_step = form.data.get("action", "") if form.errors else forward_step(actions)
    actions.sort(key=lambda a: a != open_step)  # the open step first, the others in the table's order
    extras = ticket_page_extras(user, ticket, actions)
    context = {
        **extras,
        "ticket": ticket,
        "place": selectors.ticket_place(ticket=ticket),
        "history": selectors.ticket_history(ticket=ticket, viewer=request.user),
        "reporter": selectors.ticket_reporter(actor=user, ticket=ticket),
        "actions": [(a, TRANSITIONS[a].label, TRANSITIONS[a].fields) for a in actions],
        "open_step": open_step,
        "handlers": handler_choices(user) if {"dispatch", "redispatch"} & set(actions) else [],
        "form": form,
        "labels": selectors.TRANSITION_LABELS,
        "follow_ups": list(ticket.follow_ups.order_by("answered_at")),
    }
    return render(request, "tickets/ticket_detail.html", context, status=422 if form.errors else 200)


@scoped
def ticket_map(request: HttpRequest) -> HttpResponse:
    """工单地图."""
    _staff(request)
    queue = request.GET.get("queue", "all")
    context = {"queue": queue if queue in selectors.QUEUES else "all", **_map_settings()}
    return render(request, "tickets/ticket_map.html", context)


@scoped
def ticket_map_data(request: HttpRequest) -> JsonResponse:
    user = _staff(request)
    queue = request.GET.get("queue", "all")
    return JsonResponse(selectors.ticket_map_features(actor=user, queue=queue if queue in selectors.QUEUES else "all"))


# --- photos, suggestion, duplicates, escalations on the ticket pages ------------------------------------


def ticket_page_extras(user: Any, ticket: Ticket, actions: list[str]) -> dict[str, Any]:
    """What the staff ticket page shows beside the facts: photos, the routing suggestion (dispatchers),
    suspected duplicates with their merge buttons, and the escalations."""
    return {
        "photos": list(ticket.photos.order_by("uploaded_at", "pk")),
        "may_add_photos": photos.may_add(user, ticket),
        "suggestion": selectors.ticket_suggestion(actor=user, ticket=ticket),
        "may_dispatch_now": "dispatch" in actions,
        "duplicates": selectors.ticket_duplicates(actor=user, ticket=ticket),
        "may_merge": "merge" in actions,
        "escalations": escalation.escalations(ticket),
    }


@scoped
def photo_file(request: HttpRequest, pk: int, photo_id: int) -> HttpResponse:
    """One photo, for whoever may see its ticket (404 for everyone else)."""
    photo = photos.photo_get(actor=request.user, ticket_id=pk, photo_id=photo_id)
    return cast(HttpResponse, photos.photo_response(photo))  # a streamed file, served like any page


@scoped
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    """补充照片: the reporter, a grid worker or the handler adds photos to an open ticket."""
    user: Any = request.user
    ticket = selectors.ticket_get(actor=user, ticket_id=pk)
    own = ticket.reporter_id == user.pk and not user.is_staff_member
    back = reverse("tickets:mine-detail" if own else "tickets:ticket-detail", args=[ticket.pk])
    form = PhotoAddForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            stored = photos.ticket_photos_add(
                actor=user, ticket=ticket, photos=form.cleaned_data["photos"], stage=form.cleaned_data["stage"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(n)d photos added.") % {"n": len(stored)})
            return redirect(back)
    context = {"ticket": ticket, "form": form, "back": back, "own": own, "tab": "requests"}
    return render(request, "tickets/photo_add.html", context, status=422 if form.errors else 200)


@scoped
@require_POST
def ticket_merge_into(request: HttpRequest, pk: int) -> HttpResponse:
    """合并重复件 from the ticket page: merge ticket ``pk`` into ``into`` and go to the ticket that stays."""
    user: Any = request.user
    ticket = selectors.ticket_get(actor=user, ticket_id=pk)
    into_id = request.POST.get("into", "")
    back = request.POST.get("back", "")
    back_pk = int(back) if back.isdigit() else ticket.pk
    try:
        into = selectors.ticket_get(actor=user, ticket_id=into_id)
        services.ticket_merge(actor=user, ticket=ticket, into=into, note=request.POST.get("note", ""))
    except (NotFound, DomainPermissionDenied):
        raise  # 404 / 403 pages
    except DomainError as exc:
        messages.error(request, "; ".join(str(m) for ms in exc.errors.values() for m in ms) or str(exc.message))
        return redirect("tickets:ticket-detail", back_pk)
    messages.success(request, _("#%(a)s merged into #%(b)s.") % {"a": ticket.pk, "b": into.pk})
    return redirect("tickets:ticket-detail", into.pk)
