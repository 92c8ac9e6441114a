"""JSON API of the charity app (mounted under /api/v1/charity). Thin: parse, call a selector or a
service, answer. Public reads (published projects, their needs) need no sign-in."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from jishiyu.accounts.models import User
from jishiyu.charity import selectors, services
from jishiyu.charity.acknowledgement import acknowledgement_for, pdf_response
from jishiyu.charity.models import Claim, FundingSource, LedgerEntry, Project, Roadshow
from jishiyu.charity.permissions import FINANCE, claim_policy, donation_policy, need_policy, project_policy
from jishiyu.charity.schemas import (
    BalanceOut,
    ClaimCreateIn,
    ClaimOut,
    DonationConfirmIn,
    DonationCreateIn,
    DonationOut,
    DonationStartOut,
    LedgerCorrectIn,
    LedgerEntryOut,
    LedgerRecordIn,
    NeedCreateIn,
    NeedOut,
    ProjectCreateIn,
    ProjectOut,
    ProjectPublicOut,
    RoadshowTotalsOut,
)
from jishiyu.core.api import PageNumberPagination
from jishiyu.core.errors import NotFound, ValidationFailed
from jishiyu.organisations.models import Organisation
from jishiyu.people.models import Person
from jishiyu.regions.models import Region
from jishiyu.regions.permissions import region_policy

router = Router(tags=["charity"])

UNKNOWN = _("Unknown record.")


def _actor(request: HttpRequest) -> Any:
    return request.user


def _get(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationFailed({field: UNKNOWN})
    return obj


def project_out(project: Project) -> dict[str, Any]:
    return {
        "id": project.pk,
        "name": project.name,
        "region_id": project.region_id,
        "runner_kind": project.runner_kind,
        "recipient_id": project.recipient_id,
        "recipient_name": project.recipient.name,
        "public_fundraising": project.recipient.public_fundraising,
        "goal": project.goal,
        "budget_fen": project.budget_fen,
        "beneficiaries": project.beneficiaries,
        "status": project.status,
    }


@router.get("/projects", response=list[ProjectOut])
@paginate(PageNumberPagination)
def project_list(request: HttpRequest) -> Any:
    """Projects in the caller's area (staff)."""
    return [project_out(p) for p in selectors.project_list(actor=_actor(request))]


@router.post("/projects", response={201: ProjectOut})
def project_create(request: HttpRequest, payload: ProjectCreateIn) -> Any:
    project = services.project_create(
        actor=_actor(request),
        name=payload.name,
        region=_get(Region, payload.region_id, "region_id"),
        runner_kind=payload.runner_kind,
        runner=_get(Organisation, payload.runner_id, "runner_id"),
        recipient=_get(Organisation, payload.recipient_id, "recipient_id"),
        goal=payload.goal,
        budget_fen=payload.budget_fen,
        beneficiaries=payload.beneficiaries,
    )
    return Status(201, project_out(project))


@router.get("/projects/public", response=list[ProjectOut], auth=None)
@paginate(PageNumberPagination)
def project_public_list(request: HttpRequest) -> Any:
    """Published projects (public by design)."""
    return [project_out(p) for p in selectors.project_public_list()]


@router.get("/projects/{project_id}/public", response=ProjectPublicOut, auth=None)
def project_public_get(request: HttpRequest, project_id: int) -> Any:
    """A published project: where its money came from and where it went."""
    project = selectors.project_public_get(project_id=project_id)
    t = selectors.project_transparency(project=project)
    return {
        "project": project_out(project),
        "total": t.total.as_dict(),
        "by_source": [
            {"source_id": s.pk, "source_kind": s.kind, "source_name": s.name, "balance": b.as_dict()}
            for s, b in t.by_source
        ],
        "uses": [
            {
                "amount_fen": e.amount_fen,
                "use": e.use,
                "note": e.note,
                "source_name": e.source.name,
                "created_at": e.created_at,
            }
            for e in t.uses
        ],
    }


@router.get("/projects/{project_id}/balance", response=BalanceOut)
def project_balance(request: HttpRequest, project_id: int) -> Any:
    project = selectors.project_get(actor=_actor(request), project_id=project_id)
    return selectors.project_transparency(project=project).total.as_dict()


@router.get("/projects/{project_id}/ledger", response=list[LedgerEntryOut])
@paginate(PageNumberPagination)
def ledger_list(request: HttpRequest, project_id: int) -> Any:
    project = selectors.project_get(actor=_actor(request), project_id=project_id)
    return LedgerEntry.objects.filter(project=project).order_by("id")


@router.post("/ledger", response={201: LedgerEntryOut})
def ledger_record(request: HttpRequest, payload: LedgerRecordIn) -> Any:
    project = project_policy.get(_actor(request), FINANCE, pk=payload.project_id)
    entry = services.ledger_record(
        actor=_actor(request),
        project=project,
        source=_get(FundingSource, payload.source_id, "source_id"),
        kind=payload.kind,
        amount_fen=payload.amount_fen,
        use=payload.use,
        note=payload.note,
    )
    return Status(201, entry)


@router.post("/ledger/{entry_id}/correct", response={201: LedgerEntryOut})
def ledger_correct(request: HttpRequest, entry_id: int, payload: LedgerCorrectIn) -> Any:
    entry = LedgerEntry.objects.select_related("project").filter(pk=entry_id).first()
    if entry is None or not project_policy.allows(_actor(request), FINANCE, entry.project):
        raise NotFound()
    return Status(201, services.ledger_correct(actor=_actor(request), entry=entry, note=payload.note))


@router.get("/needs/{need_id}", response=NeedOut, auth=None)
def need_get(request: HttpRequest, need_id: int) -> Any:
    """A need of a published project (public), or one in the caller's area."""
    return selectors.need_get_for_claim(actor=_actor(request), need_id=need_id)


@router.post("/needs", response={201: NeedOut})
def need_create(request: HttpRequest, payload: NeedCreateIn) -> Any:
    need = services.need_create(
        actor=_actor(request),
        project=project_policy.get(_actor(request), "charity.change", pk=payload.project_id),
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        shares_total=payload.shares_total,
        share_fen=payload.share_fen,
        roadshow=_get(Roadshow, payload.roadshow_id, "roadshow_id"),
        person=_get(Person, payload.person_id, "person_id"),
    )
    return Status(201, need)


@router.post("/needs/{need_id}/withdraw", response=NeedOut)
def need_withdraw(request: HttpRequest, need_id: int) -> Any:
    need = need_policy.get(_actor(request), "charity.view", pk=need_id)
    return services.need_withdraw(actor=_actor(request), need=need)


@router.post("/needs/{need_id}/claims", response={201: ClaimOut})
def claim_create(request: HttpRequest, need_id: int, payload: ClaimCreateIn) -> Any:
    """认领: a donor in their own name, or staff raising a card (via "card") for a named donor."""
    need = selectors.need_get_for_claim(actor=_actor(request), need_id=need_id)
    if payload.via not in Claim.Via.values:
        raise ValidationFailed({"via": UNKNOWN})
    claim = services.claim_create(
        actor=_actor(request),
        need=need,
        shares=payload.shares,
        via=payload.via,
        donor=_get(User, payload.donor_id, "donor_id"),
        donor_name=payload.donor_name,
    )
    return Status(201, claim)


@router.post("/claims/{claim_id}/fulfil", response=ClaimOut)
def claim_fulfil(request: HttpRequest, claim_id: int, photo: File[UploadedFile]) -> Any:
    claim = claim_policy.get(_actor(request), "charity.view", pk=claim_id)
    return services.claim_fulfil(actor=_actor(request), claim=claim, photo=photo)


@router.post("/donations", response={201: DonationStartOut})
def donation_create(request: HttpRequest, payload: DonationCreateIn) -> Any:
    """捐赠 through the portal: only to projects whose receiving organisation may raise funds publicly."""
    project = selectors.project_public_get(project_id=payload.project_id)
    donation, start = services.donation_start(
        actor=_actor(request), project=project, amount_fen=payload.amount_fen, anonymous=payload.anonymous
    )
    return Status(201, {"donation": donation, **asdict(start)})


@router.get("/donations/mine", response=list[DonationOut])
@paginate(PageNumberPagination)
def donation_mine(request: HttpRequest) -> Any:
    return selectors.donation_history(actor=_actor(request))


@router.get(
    "/donations/{donation_id}/acknowledgement.pdf",
    openapi_extra={
        "responses": {
            200: {
                "description": "The acknowledgement (感谢函), A4 PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def donation_acknowledgement(request: HttpRequest, donation_id: int) -> HttpResponse:
    """感谢函 (PDF) of a confirmed donation: the donor's own, or staff in scope; anyone else gets 404."""
    return pdf_response(*acknowledgement_for(actor=_actor(request), donation_id=donation_id))


@router.post("/donations/{donation_id}/confirm", response=DonationOut)
def donation_confirm(request: HttpRequest, donation_id: int, payload: DonationConfirmIn) -> Any:
    donation = donation_policy.get(_actor(request), "charity.view", pk=donation_id)
    return services.donation_confirm(
        actor=_actor(request),
        donation=donation,
        receipt_number=payload.receipt_number,
        provider_reference=payload.provider_reference,
    )


@router.get("/roadshows/{roadshow_id}/totals", response=RoadshowTotalsOut)
def roadshow_totals(request: HttpRequest, roadshow_id: int) -> Any:
    roadshow = selectors.roadshow_get(actor=_actor(request), roadshow_id=roadshow_id)
    return asdict(selectors.roadshow_totals(roadshow=roadshow))


@router.get("/figures")
def figures(request: HttpRequest, region: int) -> Any:
    """Dashboard figures for a region in the caller's area: money by source and month, roadshows, needs."""
    node = region_policy.get(_actor(request), "charity.view", pk=region)  # NotFound outside the caller's area
    return selectors.figures(actor=_actor(request), region=node)
