"""Pages of the charity app (公益行): phone-first public and donor pages, the staff desk, and the
roadshow's big-screen claim board (htmx polling, no inline script). Thin: parse, call, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jishiyu.charity import selectors, services
from jishiyu.charity.acknowledgement import acknowledgement_context, acknowledgement_for, pdf_response
from jishiyu.charity.balances import balances_by
from jishiyu.charity.forms import CardForm, ClaimForm, ConfirmForm, DonationForm, FulfilForm
from jishiyu.charity.models import Claim, Donation, LedgerEntry
from jishiyu.charity.permissions import FINANCE, RECORD_CLAIM, VIEW, claim_policy, donation_policy, need_policy
from jishiyu.charity.rules import organisation_checks as checks_for
from jishiyu.core.errors import DomainError, NotFound
from jishiyu.core.scope import holds_anywhere
from jishiyu.core.uploads import sniff_image_type
from jishiyu.organisations.permissions import organisation_policy


def handled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A NotFound from a selector or service is the ordinary 404 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None

    return wrapper


def _error(request: HttpRequest, exc: DomainError) -> None:
    for field_messages in exc.errors.values():
        for message in field_messages:
            messages.error(request, str(message))
    if not exc.errors:
        messages.error(request, str(exc.message))


# --- public and donor pages (phone-first) ----------------------------------------------------------


@handled
def project_list(request: HttpRequest) -> HttpResponse:
    """公益项目: published projects, open to all."""
    projects = list(selectors.project_public_list()[:100])
    held = balances_by(LedgerEntry.objects.filter(project__in=projects), "project")
    rows = [(p, held.get(p.pk)) for p in projects]
    return render(request, "charity/project_list.html", {"rows": rows})


@handled
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    """项目公开页: goal, progress, where the money came from and went, needs to claim, donation."""
    project = selectors.project_public_get(project_id=project_id)
    context = {
        "project": project,
        "t": selectors.project_transparency(project=project),
        "needs": selectors.need_public_list(project=project),
        "reports": project.reports.all()[:10],
        "form": DonationForm(),
    }
    return render(request, "charity/project_detail.html", context)


@handled
def report_photo(request: HttpRequest, project_id: int, report_id: int) -> Any:
    """A progress report's photo, public like the project page, typed by its content (core.uploads)."""
    project = selectors.project_public_get(project_id=project_id)
    report = project.reports.filter(pk=report_id).exclude(photo="").first()
    if report is None:
        raise Http404
    try:
        handle = report.photo.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=sniff_image_type(handle) or "application/octet-stream")
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@handled
def need_detail(request: HttpRequest, need_id: int) -> HttpResponse:
    """需求页 (the code scanned at a roadshow points here): claim it in your own name."""
    need = selectors.need_get_for_claim(actor=request.user, need_id=need_id)
    form = ClaimForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        if form.is_valid():
            try:
                services.claim_create(actor=request.user, need=need, shares=form.cleaned_data["shares"])
            except DomainError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("Thank you: your claim is recorded."))
            return redirect("charity:need-detail", need_id=need.pk)
    mine = list(selectors.claim_history(actor=request.user).filter(need=need).order_by("-created_at")[:5])
    context = {
        "need": need,
        "form": form,
        "my_claims": mine,
        "contact_days": services.CLAIM_CONTACT_WORKING_DAYS,
        "payee": services.payee_of(need.project),
    }
    return render(request, "charity/need_detail.html", context)


@require_POST
@login_required
@handled
def donation_create(request: HttpRequest, project_id: int) -> HttpResponse:
    """捐赠: start a donation through the payment provider."""
    project = selectors.project_public_get(project_id=project_id)
    form = DonationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter an amount, e.g. 120 or 120.50."))
        return redirect("charity:project-detail", project_id=project.pk)
    try:
        amount = services.fen_from_yuan(form.cleaned_data["amount"])
        donation, start = services.donation_start(
            actor=request.user, project=project, amount_fen=amount, anonymous=form.cleaned_data["anonymous"]
        )
    except DomainError as exc:
        _error(request, exc)
        return redirect("charity:project-detail", project_id=project.pk)
    if start.redirect_url:
        return redirect(start.redirect_url)
    return render(request, "charity/donation_started.html", {"donation": donation, "start": start})


@login_required
def my_giving(request: HttpRequest) -> HttpResponse:
    """我的公益: the donor's own donations and claims."""
    context = {
        "donations": selectors.donation_history(actor=request.user)[:100],
        "claims": selectors.claim_history(actor=request.user)[:100],
    }
    return render(request, "charity/my_giving.html", context)


@login_required
@handled
def donation_acknowledgement(request: HttpRequest, donation_id: int) -> HttpResponse:
    """感谢函: a printable acknowledgement of a confirmed donation (the donor's own, or staff in scope)."""
    donation = selectors.donation_get_for_acknowledgement(actor=request.user, donation_id=donation_id)
    if donation.status != Donation.Status.CONFIRMED:
        raise Http404()
    return render(request, "charity/acknowledgement.html", acknowledgement_context(donation))


@login_required
@handled
def donation_acknowledgement_pdf(request: HttpRequest, donation_id: int) -> HttpResponse:
    """感谢函 (PDF, A4): the donor's own, or staff in scope; anyone else is told it does not exist."""
    try:
        donation, pdf = acknowledgement_for(actor=request.user, donation_id=donation_id)
    except NotFound:
        raise
    except DomainError as exc:
        _error(request, exc)
        return redirect("charity:giving-mine")
    return pdf_response(donation, pdf)


# --- staff desk -------------------------------------------------------------------------------------


@login_required
@handled
def desk(request: HttpRequest) -> HttpResponse:
    """公益台账 (staff): projects with balances, claims to confirm, donations to confirm."""
    user: Any = request.user
    if not holds_anywhere(user, VIEW):
        raise Http404()
    projects = list(selectors.project_list(actor=user)[:200])
    balances = balances_by(LedgerEntry.objects.filter(project__in=projects), "project")
    context = {
        "rows": [(p, balances.get(p.pk)) for p in projects],
        "claims": selectors.claims_to_confirm(actor=user)[:100],
        "donations": selectors.donation_pending_list(actor=user, permission=FINANCE)[:100],
        "roadshows": selectors.roadshow_list(actor=user)[:20],
        "fulfil_form": FulfilForm(),
        "confirm_form": ConfirmForm(),
    }
    return render(request, "charity/desk.html", context)


@require_POST
@login_required
@handled
def claim_fulfil(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = claim_policy.get(request.user, VIEW, pk=claim_id)  # type: ignore[arg-type]
    try:
        services.claim_fulfil(actor=request.user, claim=claim, photo=request.FILES.get("photo"))
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The claim is confirmed and the money recorded as received."))
    return redirect("charity:desk")


@require_POST
@login_required
@handled
def donation_confirm(request: HttpRequest, donation_id: int) -> HttpResponse:
    donation = donation_policy.get(request.user, VIEW, pk=donation_id)  # type: ignore[arg-type]
    form = ConfirmForm(request.POST)
    number = form.cleaned_data["receipt_number"] if form.is_valid() else ""
    try:
        services.donation_confirm(actor=request.user, donation=donation, receipt_number=number)
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The donation is confirmed."))
    return redirect("charity:desk")


# --- roadshows ---------------------------------------------------------------------------------------


def _board_context(roadshow: Any) -> dict[str, Any]:
    return {
        "roadshow": roadshow,
        "needs": list(selectors.need_public_list(roadshow=roadshow)),
        "totals": selectors.roadshow_totals(roadshow=roadshow),
        "recent": selectors.roadshow_recent_claims(roadshow=roadshow),
    }


@login_required
@handled
def roadshow_board(request: HttpRequest, roadshow_id: int) -> HttpResponse:
    """认领大屏: the room's big screen; the live part reloads every 2 s (htmx)."""
    roadshow = selectors.roadshow_get(actor=request.user, roadshow_id=roadshow_id)
    return render(request, "charity/board.html", _board_context(roadshow))


@login_required
@handled
def roadshow_board_live(request: HttpRequest, roadshow_id: int) -> HttpResponse:
    roadshow = selectors.roadshow_get(actor=request.user, roadshow_id=roadshow_id)
    response = render(request, "charity/_board_live.html", _board_context(roadshow))
    add_never_cache_headers(response)
    return response


@login_required
@handled
def roadshow_cards(request: HttpRequest, roadshow_id: int) -> HttpResponse:
    """举牌登记: staff record a raised card for a named donor in one tap per need."""
    roadshow = selectors.roadshow_get(actor=request.user, roadshow_id=roadshow_id)
    user: Any = request.user
    needs = [n for n in selectors.need_public_list(roadshow=roadshow) if need_policy.allows(user, RECORD_CLAIM, n)]
    return render(request, "charity/cards.html", {"roadshow": roadshow, "needs": needs, "form": CardForm()})


@require_POST
@login_required
@handled
def need_card(request: HttpRequest, need_id: int) -> HttpResponse:
    need = need_policy.get(request.user, RECORD_CLAIM, pk=need_id)  # type: ignore[arg-type]
    form = CardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the donor's name."))
    else:
        try:
            claim = services.claim_create(
                actor=request.user,
                need=need,
                via=Claim.Via.CARD,
                donor_name=form.cleaned_data["donor_name"],
                shares=form.cleaned_data["shares"],
            )
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(
                request, _("Recorded: %(donor)s claimed %(need)s.") % {"donor": claim.donor_name, "need": need}
            )
    if need.roadshow_id:
        return redirect("charity:roadshow-cards", roadshow_id=need.roadshow_id)
    return redirect("charity:desk")


@login_required
@handled
def organisation_checks(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """组织年度检查: the rules table applied to one organisation for a year (default: last year)."""
    user: Any = request.user
    organisation = organisation_policy.queryset(user, VIEW).filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404()
    try:
        year = int(request.GET.get("year") or timezone.localdate().year - 1)
    except ValueError:
        year = timezone.localdate().year - 1
    outcome = checks_for(organisation=organisation, year=year)
    context = {"organisation": organisation, "year": year, "outcome": outcome, "rule": outcome.rule}
    return render(request, "charity/organisation_checks.html", context)
