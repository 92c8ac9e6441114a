"""Charity selectors (公益行, reads). Staff reads go through the scope policies; the public reads
return published projects only, and only their public fields (no person, no donor of an anonymous gift)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from jishiyu.charity.balances import Balance, balance_of, balances_by
from jishiyu.charity.models import Claim, Donation, FundingSource, LedgerEntry, Need, Project, Roadshow
from jishiyu.charity.permissions import VIEW, donation_policy, need_policy, project_policy, roadshow_policy
from jishiyu.core.errors import NotFound
from jishiyu.core.scope import subtree_q
from jishiyu.regions.models import Region


def project_list(*, actor: Any, permission: str = VIEW) -> QuerySet[Project]:
    """项目列表 (staff): the projects in the actor's area."""
    return project_policy.queryset(actor, permission).select_related("region", "recipient", "runner")


def project_get(*, actor: Any, project_id: int, permission: str = VIEW) -> Project:
    return project_policy.get(actor, permission, pk=project_id)


def project_public_list() -> QuerySet[Project]:
    """公开项目: published projects, for everyone."""
    return Project.objects.filter(status=Project.Status.PUBLISHED).select_related("region", "recipient")


def project_public_get(*, project_id: int) -> Project:
    try:
        return project_public_list().get(pk=project_id)
    except (Project.DoesNotExist, ValueError):
        raise NotFound() from None


@dataclass
class Transparency:
    """Where a project's money came from and where it went (资金来龙去脉)."""

    total: Balance
    by_source: list[tuple[FundingSource, Balance]]
    uses: list[LedgerEntry] = field(default_factory=list)


def project_transparency(*, project: Project) -> Transparency:
    """公开账目: balances per source and each spending entry (4 queries)."""
    entries = LedgerEntry.objects.filter(project=project)
    grouped = balances_by(entries, "source")
    sources = FundingSource.objects.in_bulk(list(grouped))
    by_source = sorted(((sources[pk], b) for pk, b in grouped.items()), key=lambda pair: pair[0].kind)
    uses = list(entries.filter(kind=LedgerEntry.Kind.SPENT).select_related("source").order_by("-created_at")[:50])
    return Transparency(total=balance_of(entries), by_source=by_source, uses=uses)


def need_list(*, actor: Any, permission: str = VIEW) -> QuerySet[Need]:
    return need_policy.queryset(actor, permission).select_related("project", "region", "roadshow")


def need_public_list(*, project: Project | None = None, roadshow: Roadshow | None = None) -> QuerySet[Need]:
    """Open and covered needs of published projects (public fields only are shown)."""
    qs = Need.objects.filter(project__status=Project.Status.PUBLISHED).exclude(status=Need.Status.WITHDRAWN)
    if project is not None:
        qs = qs.filter(project=project)
    if roadshow is not None:
        qs = qs.filter(roadshow=roadshow)
    return qs.select_related("project").order_by("status", "id")


def need_get_for_claim(*, actor: Any, need_id: int) -> Need:
    """A need the actor may see: public (published project) or in their area. One query: the project and
    both regions come joined (their paths are all a claim and its audit entries need)."""
    try:
        need = Need.objects.select_related("project__region", "region", "roadshow").get(pk=need_id)
    except (Need.DoesNotExist, ValueError):
        raise NotFound() from None
    if need.project.status == Project.Status.PUBLISHED or need_policy.allows(actor, VIEW, need):
        return need
    raise NotFound()


def claim_list(*, actor: Any, permission: str = VIEW) -> QuerySet[Claim]:
    return Claim.objects.filter(need__in=need_policy.queryset(actor, permission).values("pk")).select_related(
        "need", "need__project"
    )


def roadshow_list(*, actor: Any) -> QuerySet[Roadshow]:
    return roadshow_policy.queryset(actor, VIEW).select_related("region")


def roadshow_get(*, actor: Any, roadshow_id: int) -> Roadshow:
    return roadshow_policy.get(actor, VIEW, pk=roadshow_id)


@dataclass
class RoadshowTotals:
    """认领合计: pledged at the event, then received as claims are fulfilled (fen)."""

    pledged: int
    received: int
    claims: int
    needs: int
    needs_covered: int


def roadshow_totals(*, roadshow: Roadshow) -> RoadshowTotals:
    """Totals of one roadshow (2 queries)."""
    claims = Claim.objects.filter(need__roadshow=roadshow).aggregate(
        pledged=Sum("amount_fen", default=0),
        received=Sum("amount_fen", filter=Q(status=Claim.Status.FULFILLED), default=0),
        n=Count("id"),
    )
    needs = Need.objects.filter(roadshow=roadshow).aggregate(
        n=Count("id"), covered=Count("id", filter=Q(status=Need.Status.COVERED))
    )
    return RoadshowTotals(claims["pledged"], claims["received"], claims["n"], needs["n"], needs["covered"])


def roadshow_recent_claims(*, roadshow: Roadshow, limit: int = 12) -> list[Claim]:
    return list(Claim.objects.filter(need__roadshow=roadshow).select_related("need").order_by("-id")[:limit])


def donation_history(*, actor: Any) -> QuerySet[Donation]:
    """我的捐赠: the donor's own donations."""
    if actor is None or not actor.is_authenticated:
        return Donation.objects.none()
    return Donation.objects.filter(donor=actor).select_related("project", "project__recipient")


def donation_get_for_acknowledgement(*, actor: Any, donation_id: int) -> Donation:
    """A donation whose acknowledgement the actor may download: their own, or one in their area (staff).
    Anyone else is told it does not exist."""
    try:
        donation = Donation.objects.select_related("project__region", "project__recipient", "donor").get(pk=donation_id)
    except (Donation.DoesNotExist, ValueError):
        raise NotFound() from None
    if actor is None or not actor.is_authenticated:
        raise NotFound()
    if donation.donor_id != actor.pk and not donation_policy.allows(actor, VIEW, donation):
        raise NotFound()
    return donation


def claim_history(*, actor: Any) -> QuerySet[Claim]:
    """我的认领: the donor's own claims."""
    if actor is None or not actor.is_authenticated:
        return Claim.objects.none()
    return Claim.objects.filter(donor=actor).select_related("need", "need__project")


def claims_to_confirm(*, actor: Any) -> QuerySet[Claim]:
    """待确认的认领 (the desk and the workbench's to-do): pledged claims of needs the actor may change."""
    return claim_list(actor=actor, permission="charity.change").filter(status=Claim.Status.PLEDGED).order_by("-id")


def donation_pending_list(*, actor: Any, permission: str) -> QuerySet[Donation]:
    return (
        donation_policy.queryset(actor, permission)
        .filter(status=Donation.Status.PENDING)
        .select_related("project", "donor")
    )


def figures(*, actor: Any, region: Region, since: date | None = None) -> dict[str, Any]:
    """看板数字: money by source kind and month, roadshow totals, needs claimed and fulfilled (scoped)."""
    within = subtree_q("project__region__path", [region.path])
    projects = project_policy.queryset(actor, VIEW).filter(subtree_q("region__path", [region.path]))
    entries = LedgerEntry.objects.filter(within, project__in=projects.values("pk"))
    if since is not None:
        entries = entries.filter(created_at__date__gte=since)
    by_source: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        entries.order_by()
        .annotate(month=TruncMonth("created_at"))
        .values("source__kind", "month", "kind")
        .annotate(total=Sum("amount_fen"))
    )
    by_month: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        by_source[row["source__kind"]][row["kind"]] += int(row["total"])
        if row["kind"] == LedgerEntry.Kind.RECEIVED and row["month"] is not None:
            by_month[row["month"].strftime("%Y-%m")][row["source__kind"]] += int(row["total"])
    needs = Need.objects.filter(project__in=projects.values("pk"))
    need_counts = needs.aggregate(
        total=Count("id"),
        covered=Count("id", filter=Q(status=Need.Status.COVERED)),
    )
    claims = Claim.objects.filter(need__in=needs.values("pk")).aggregate(
        claimed=Count("id"),
        fulfilled=Count("id", filter=Q(status=Claim.Status.FULFILLED)),
    )
    roadshows = []
    for roadshow in roadshow_policy.queryset(actor, VIEW).filter(subtree_q("region__path", [region.path]))[:50]:
        totals = roadshow_totals(roadshow=roadshow)
        roadshows.append(
            {
                "id": roadshow.pk,
                "title": roadshow.title,
                "starts_at": roadshow.starts_at.isoformat(),
                "pledged_fen": totals.pledged,
                "received_fen": totals.received,
                "claims": totals.claims,
            }
        )
    total = balance_of(entries)
    return {
        "region": {"id": region.pk, "name": region.name},
        "money": total.as_dict(),
        "by_source": {kind: dict(values) for kind, values in by_source.items()},
        "received_by_month": {month: dict(values) for month, values in sorted(by_month.items())},
        "projects": projects.count(),
        "needs": {**need_counts, **claims},
        "roadshows": roadshows,
    }


def figures_summary(*, actor: Any, region: Region) -> dict[str, Any]:
    """The headline of ``figures`` for the shared dashboard, in four queries whatever the number of
    roadshows: the ledger balance, roadshows held, needs claimed and claims fulfilled (scoped)."""
    projects = project_policy.queryset(actor, VIEW).filter(subtree_q("region__path", [region.path]))
    entries = LedgerEntry.objects.filter(project__in=projects.values("pk"))
    claims = Claim.objects.filter(need__project__in=projects.values("pk")).aggregate(
        claimed=Count("id"), fulfilled=Count("id", filter=Q(status=Claim.Status.FULFILLED))
    )
    roadshows = roadshow_policy.queryset(actor, VIEW).filter(subtree_q("region__path", [region.path])).count()
    return {"money": balance_of(entries).as_dict(), "needs": claims, "roadshows": roadshows}
