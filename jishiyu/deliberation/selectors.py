"""Reads of the deliberation app, through the scope policies (out of scope answers NotFound)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from jishiyu.core.errors import NotFound
from jishiyu.core.scope import path_in_scope, subtree_q
from jishiyu.deliberation.models import Action, Attendance, Comment, Meeting, Notice, Party, PartyMember, Topic, Vote
from jishiyu.deliberation.permissions import (
    CONVENE,
    MANAGE,
    VIEW,
    action_policy,
    compound_visible,
    is_convener,
    meeting_policy,
    member_compound_ids,
    party_policy,
    topic_policy,
    vote_policy,
)
from jishiyu.regions.models import Region


def compound_list(*, actor: Any) -> QuerySet[Region]:
    """Compounds the actor may see: under their staff scope, or their own."""
    q = Q(pk__in=member_compound_ids(actor))
    if actor is not None and actor.is_authenticated:
        q |= subtree_q("path", actor.region_paths_for(VIEW))
    return Region.objects.filter(q, kind=Region.Kind.COMPOUND).select_related("parent").order_by("path")


def compound_get(*, actor: Any, compound_id: Any) -> Region:
    compound = Region.objects.filter(pk=_pk(compound_id), kind=Region.Kind.COMPOUND).select_related("parent").first()
    if compound is None or not compound_visible(actor, compound):
        raise NotFound()
    return compound


def compound_public(*, compound_id: Any) -> Region:
    """A compound for the public accountability page (no personal data there)."""
    compound = Region.objects.filter(pk=_pk(compound_id), kind=Region.Kind.COMPOUND).first()
    if compound is None:
        raise NotFound()
    return compound


def parties(*, compound: Region) -> QuerySet[Party]:
    return Party.objects.filter(compound=compound).prefetch_related("members__user")


def notices(*, compound: Region) -> QuerySet[Notice]:
    return Notice.objects.filter(compound=compound)


def topic_list(*, actor: Any, compound: Region) -> QuerySet[Topic]:
    return topic_policy.queryset(actor, VIEW).filter(compound=compound).annotate(comment_count=Count("comments"))


def topic_get(*, actor: Any, topic_id: Any) -> Topic:
    return topic_policy.get(actor, VIEW, pk=_pk(topic_id))


def comments(*, actor: Any, topic: Topic) -> QuerySet[Comment]:
    """Hidden comments are shown to the convener only."""
    qs = Comment.objects.filter(topic=topic).select_related("author")
    if not is_convener(actor, topic.compound):
        qs = qs.filter(status=Comment.Status.VISIBLE)
    return qs


def vote_list(*, actor: Any, compound: Region) -> QuerySet[Vote]:
    return vote_policy.queryset(actor, VIEW).filter(compound=compound)


def vote_get(*, actor: Any, vote_id: Any) -> Vote:
    return vote_policy.get(actor, VIEW, pk=_pk(vote_id))


def actions_public(*, compound: Region) -> QuerySet[Action]:
    return (
        Action.objects.filter(compound=compound)
        .select_related("topic", "responsible")
        .prefetch_related("updates")
        .order_by("status", "due_date", "pk")
    )


def action_get(*, actor: Any, action_id: Any) -> Action:
    return action_policy.get(actor, VIEW, pk=_pk(action_id))


def figures(*, actor: Any, region: Region) -> dict[str, Any]:
    """Dashboard figures for a region the actor holds deliberation.view over (看板)."""
    if not (actor and actor.is_authenticated and path_in_scope(region.path, actor.region_paths_for(VIEW))):
        raise NotFound()
    within = Q(compound__path__gte=region.path, compound__path__lt=region.path + "~")
    topics = Topic.objects.filter(within)
    closed_votes = Vote.objects.filter(within, status=Vote.Status.CLOSED)
    turnouts = [v.result["participation_owners"] for v in closed_votes if v.result]
    done = Action.objects.filter(within, status=Action.Status.DONE)
    mean = sum((Fraction(t) for t in turnouts), Fraction(0)) / len(turnouts) if turnouts else None
    today = timezone.localdate()
    return {
        "region": region.pk,
        "topics_raised": topics.count(),
        "topics_resolved": topics.filter(resolved_at__isnull=False).count(),
        "votes_held": closed_votes.count(),
        "votes_open": Vote.objects.filter(within, status=Vote.Status.OPEN).count(),
        "votes_passed": sum(1 for v in closed_votes if v.result and v.result.get("passed")),
        "mean_turnout_owners": f"{mean.numerator}/{mean.denominator}" if mean is not None else None,
        "mean_turnout_percent": round(float(mean) * 100, 1) if mean is not None else None,
        "actions": Action.objects.filter(within).count(),
        "actions_done": done.count(),
        "actions_done_on_time": done.filter(done_on__lte=F("due_date")).count(),
        "actions_overdue": Action.objects.filter(within, due_date__lt=today).exclude(status=Action.Status.DONE).count(),
    }


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def meeting_list(*, actor: Any, compound: Region) -> QuerySet[Meeting]:
    """会议 of a compound, newest first."""
    return meeting_policy.queryset(actor, VIEW).filter(compound=compound).select_related("topic")


def meeting_get(*, actor: Any, meeting_id: Any) -> Meeting:
    return meeting_policy.get(actor, VIEW, pk=_pk(meeting_id))


def attendance(*, meeting: Meeting) -> QuerySet[Attendance]:
    return Attendance.objects.filter(meeting=meeting).select_related("party").order_by("pk")


def attendance_get(*, actor: Any, meeting_id: Any, attendance_id: Any) -> Attendance:
    """One attendance entry of a meeting the actor may see (NotFound otherwise, or if it is another's)."""
    meeting = meeting_get(actor=actor, meeting_id=meeting_id)
    entry = Attendance.objects.filter(pk=_pk(attendance_id), meeting=meeting).select_related("meeting").first()
    if entry is None:
        raise NotFound()
    return entry


def party_get(*, actor: Any, party_id: Any) -> Party:
    return party_policy.get(actor, VIEW, pk=_pk(party_id))


def party_member_get(*, actor: Any, member_id: Any) -> PartyMember:
    member = PartyMember.objects.select_related("party__compound", "user").filter(pk=_pk(member_id)).first()
    if member is None:
        raise NotFound()
    party_get(actor=actor, party_id=member.party_id)
    return member


# --- the work waiting for staff (the workbench's to-dos and /compounds/work/) ------------------------------


def votes_to_close(*, actor: Any) -> QuerySet[Vote]:
    """待计票: open votes whose closing time has passed, waiting for staff to close and count them."""
    return (
        vote_policy.queryset(actor, MANAGE)
        .filter(status=Vote.Status.OPEN, closes_at__lte=timezone.now())
        .select_related("compound")
        .order_by("closes_at", "pk")
    )


def actions_overdue(*, actor: Any) -> QuerySet[Action]:
    """逾期落实事项: follow-up actions past their due date and not completed."""
    return (
        action_policy.queryset(actor, MANAGE)
        .filter(due_date__lt=timezone.localdate())
        .exclude(status=Action.Status.DONE)
        .select_related("compound", "topic", "responsible")
        .order_by("due_date", "pk")
    )


def topics_to_take_up(*, actor: Any) -> QuerySet[Topic]:
    """待议议题: topics residents raised that are still collecting opinions, for the convener to take up."""
    return (
        topic_policy.queryset(actor, CONVENE)
        .filter(stage=Topic.Stage.COLLECT)
        .select_related("compound")
        .order_by("created_at", "pk")
    )


def overseen_regions(*, actor: Any) -> list[Region]:
    """The regions where the actor holds "deliberation.view" (their assignments' own nodes), by path: the
    figures page shows one row for each."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    return list(Region.objects.filter(path__in=actor.region_paths_for(VIEW)).order_by("path"))
