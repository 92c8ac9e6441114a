"""Pages of resident self-service (我的信息) and the staff list of data requests. Thin: the rules
live in jishiyu.people.selfservice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from jishiyu.core.errors import DomainError, NotFound
from jishiyu.core.pages import page_for
from jishiyu.people.models import DataRequest
from jishiyu.people.selfservice import (
    MAX_DETAIL,
    data_request_create,
    data_request_get_staff,
    data_request_handle,
    data_request_list_own,
    data_request_list_staff,
    my_data,
)
from jishiyu.people.selfservice import (
    consent_set as consent_set_service,
)

STAFF_SHOWN = 200


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you ask for?"), choices=DataRequest.Kind.choices)
    detail = forms.CharField(
        label=_("What should be corrected or deleted?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_DETAIL,
        help_text=_("Do not write id or phone numbers here: staff will check them with you in person."),
    )


class DataRequestHandleForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[(DataRequest.Status.DONE, _("Done")), (DataRequest.Status.REFUSED, _("Refused"))],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=_("Message to the resident"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_DETAIL
    )


def _add_errors(form: forms.Form, exc: DomainError) -> None:
    for field, msgs in exc.errors.items() or {None: [exc.message]}.items():
        for message in msgs:
            form.add_error(field if field in form.fields else None, str(message))


def _page(request: HttpRequest, form: DataRequestForm, status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {
        "data": my_data(actor=request.user),
        "requests": data_request_list_own(actor=request.user)[:50],
        "form": form,
    }
    return render(request, "people/me/data.html", context, status=status)


@login_required
def data_show(request: HttpRequest) -> HttpResponse:
    """我的信息: what is held about me, my consents and my requests."""
    return _page(request, DataRequestForm())


@login_required
@require_POST
def consent_set(request: HttpRequest, purpose: str) -> HttpResponse:
    """同意/撤回 (htmx swaps the row; without htmx, back to the page)."""
    try:
        consent = consent_set_service(actor=request.user, purpose=purpose, granted=request.POST.get("granted") == "1")
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("people_me:data-show")
    if request.headers.get("HX-Request"):
        row = {"purpose": consent.purpose, "label": consent.get_purpose_display(), "granted": consent.granted}
        return render(request, "people/me/_consent.html", {"c": row})
    messages.success(request, _("Your choice is saved."))
    return redirect("people_me:data-show")


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    """申请更正或删除."""
    if request.method != "POST":
        return redirect("people_me:data-show")
    form = DataRequestForm(request.POST)
    if form.is_valid():
        try:
            data_request_create(actor=request.user, **form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your request is sent. Staff will answer in your inbox."))
            return redirect("people_me:data-show")
    return _page(request, form, status=400)


@page_for("people.handle_request")
def staff_request_list(request: HttpRequest) -> HttpResponse:
    """个人信息申请 (staff): open requests in my scope."""
    show = request.GET.get("status", DataRequest.Status.OPEN)
    status = None if show == "all" else show
    items = data_request_list_staff(actor=request.user, status=status)[:STAFF_SHOWN]
    statuses = [("open", _("Open")), ("done", _("Done")), ("refused", _("Refused")), ("all", _("All"))]
    return render(request, "people/me/staff_requests.html", {"items": items, "show": show, "statuses": statuses})


@login_required
def staff_request_handle(request: HttpRequest, request_id: int) -> HttpResponse:
    """处理个人信息申请 (staff)."""
    try:
        obj = data_request_get_staff(actor=request.user, request_id=request_id)
    except NotFound:
        raise Http404 from None
    form = DataRequestHandleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data_request_handle(actor=request.user, request=obj, **form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The request is handled and the resident notified."))
            return redirect("people_me:request-staff-list")
    status = 400 if request.method == "POST" else 200
    return render(request, "people/me/staff_request.html", {"obj": obj, "form": form}, status=status)
