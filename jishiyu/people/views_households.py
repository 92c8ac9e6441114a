"""Staff pages of households (户), mounted under /people/households/. Thin like the other people pages:
parse with a form, call a selector or a service, render. A household out of scope answers 404 exactly
like a missing one; one the actor may see but not change answers 403 to a POST."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jishiyu.core.errors import DomainError, NotFound
from jishiyu.core.errors import PermissionDenied as DomainPermissionDenied
from jishiyu.core.pages import page_for, scoped
from jishiyu.people import selectors, services
from jishiyu.people.forms import HouseholdFilterForm, HouseholdForm, HouseholdMemberForm
from jishiyu.people.models import Household
from jishiyu.people.permissions import household_policy
from jishiyu.people.views import form_page, paginate


@page_for("people.view")
@scoped
def household_list(request: HttpRequest) -> HttpResponse:
    """户列表: search by number, filter by region; the table updates in place (htmx)."""
    user: Any = request.user
    form = HouseholdFilterForm(request.GET or None, actor=user)
    context = {
        "form": form,
        **paginate(request, selectors.household_list_with_members(actor=user, filters=form.filters())),
        "may_change": household_policy.allows_anywhere(user, "people.change"),
    }
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "households-table":
        return render(request, "people/_household_table.html", context)
    return render(request, "people/household_list.html", context)


@scoped
@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    """建户."""
    user: Any = request.user
    if not household_policy.allows_anywhere(user, "people.change"):
        raise DomainPermissionDenied()
    form = HouseholdForm(request.POST or None, actor=user)
    return form_page(
        request, form, "people/household_form.html", done=_("Household created."), detail="people:household-detail"
    )


def _detail(request: HttpRequest, household: Household, member_form: HouseholdMemberForm | None = None) -> HttpResponse:
    user: Any = request.user
    may_change = household_policy.allows(user, "people.change", household)
    if may_change and member_form is None:
        member_form = HouseholdMemberForm(actor=user, household=household)
    context = {
        "household": household,
        "members": selectors.household_members(actor=user, household=household),
        "may_change": may_change,
        "member_form": member_form if may_change else None,
    }
    status = 422 if member_form is not None and member_form.errors else 200
    return render(request, "people/household_detail.html", context, status=status)


@scoped
def household_detail(request: HttpRequest, household_id: int) -> HttpResponse:
    """户详情: the members the actor may see; forms to add, re-relate and remove them for those who may change."""
    return _detail(request, selectors.household_get(actor=request.user, household_id=household_id))


def _household_to_change(request: HttpRequest, household_id: int) -> Household:
    """404 out of scope, 403 (the forbidden page) when the actor may see the household but not change it."""
    user: Any = request.user
    household = selectors.household_get(actor=user, household_id=household_id)
    household_policy.require(user, "people.change", household)
    return household


@scoped
@require_POST
def household_member_add(request: HttpRequest, household_id: int) -> HttpResponse:
    """入户 (by document number or phone, looked up in the actor's scope)."""
    household = _household_to_change(request, household_id)
    form = HouseholdMemberForm(request.POST, actor=request.user, household=household)
    if form.is_valid():
        person = form.save()
        if person is not None:
            messages.success(request, _("%(name)s added to the household.") % {"name": person.name})
            # To the members (the new one among them): the form's own "#add-member" would otherwise carry over.
            return redirect(reverse("people:household-detail", args=[household.pk]) + "#members")
    return _detail(request, household, form)


def _member_action(request: HttpRequest, household_id: int, person_id: int, action: Any, done: str) -> HttpResponse:
    """Run ``action(household, person)`` on a member; a refused rule comes back as a message."""
    household = _household_to_change(request, household_id)
    person = selectors.person_get(actor=request.user, person_id=person_id)
    try:
        action(household, person)
        messages.success(request, done % {"name": person.name})
    except DomainError as exc:
        if isinstance(exc, NotFound | DomainPermissionDenied):
            raise
        for field_messages in (exc.errors or {"": [exc.message]}).values():  # each field's own words
            for message in field_messages:
                messages.error(request, str(message))
    return redirect("people:household-detail", household_id=household.pk)


@scoped
@require_POST
def household_member_update(request: HttpRequest, household_id: int, person_id: int) -> HttpResponse:
    """改与户主关系."""
    relation = request.POST.get("relation_to_head", "")  # checked by the service (length)

    def update(household: Household, person: Any) -> None:
        services.household_member_update(
            actor=request.user, household=household, person=person, relation_to_head=relation
        )

    return _member_action(request, household_id, person_id, update, _("%(name)s: relation saved."))


@scoped
@require_POST
def household_member_remove(request: HttpRequest, household_id: int, person_id: int) -> HttpResponse:
    """移出户."""

    def remove(household: Household, person: Any) -> None:
        services.household_member_remove(actor=request.user, household=household, person=person)

    return _member_action(request, household_id, person_id, remove, _("%(name)s removed from the household."))
