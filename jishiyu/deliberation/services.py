"""Owners' votes (业主共同决定): the write services and the exported record.

The electorate is frozen into ``Elector`` rows when the vote opens; ballots name an owner key of
that electorate; the result is always computed by ``tally.tally`` — the same function the
``tally_vote`` command runs on the exported record.
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jishiyu.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from jishiyu.core.scope import path_in_scope
from jishiyu.core.uploads import rename_document
from jishiyu.deliberation.models import (
    Action,
    ActionUpdate,
    Attendance,
    Ballot,
    Comment,
    Elector,
    Meeting,
    MeetingRule,
    Notice,
    Party,
    PartyMember,
    Topic,
    TopicStep,
    Vote,
    VoteDocument,
)
from jishiyu.deliberation.permissions import MANAGE, VIEW, compound_visible, is_convener
from jishiyu.deliberation.tally import BallotEntry, DwellingEntry, TallyResult, tally
from jishiyu.notifications.services import notification_send
from jishiyu.organisations.models import Organisation
from jishiyu.people.models import Ownership, Person
from jishiyu.regions.models import Building, Dwelling, Entrance, Region

DEVELOPER = "developer"

VOTE_NOT_OPEN = _("The vote is not open: ballots are no longer accepted.")
ALREADY_VOTED = _("This owner has already voted; a ballot cannot be cast twice.")
NOT_AN_OWNER = _("You own no dwelling in this vote's electorate.")
NOT_REPRESENTATIVE = _("Co-owners vote through their representative; you are not the representative.")
NOT_VERIFIED = _("Your ownership has not been verified yet; ask the community to verify it or vote on paper.")
DWELLING_NOT_IN_ELECTORATE = _("This dwelling is not in the vote's electorate.")
UNKNOWN_CHOICE = _("Choose for, against or abstain.")


def owner_key(person_id: int) -> str:
    return f"p{person_id}"


def _require_manage(actor: Any, compound: Region) -> None:
    if not (actor and actor.is_authenticated and path_in_scope(compound.path, actor.region_paths_for(MANAGE))):
        if actor and actor.is_authenticated and path_in_scope(compound.path, actor.region_paths_for(VIEW)):
            raise PermissionDenied()
        raise NotFound()


def may_manage(actor: Any, compound: Region) -> bool:
    """Staff who may run votes, meetings and actions in this compound."""
    return bool(actor and actor.is_authenticated and path_in_scope(compound.path, actor.region_paths_for(MANAGE)))


def owner_key_of(actor: Any, vote: Vote) -> str:
    """The actor's owner key in this vote's electorate ("" when they hold no vote there)."""
    if actor is None or not actor.is_authenticated:
        return ""
    person = Person.objects.filter(user_id=actor.pk).only("pk").first()
    if person is None:
        return ""
    key = owner_key(person.pk)
    return key if Elector.objects.filter(vote=vote, owner_key=key).exists() else ""


def vote_accepting(vote: Vote) -> bool:
    return vote.status == Vote.Status.OPEN and timezone.now() < vote.closes_at


def electorate_dwellings(vote: Vote) -> QuerySet[Dwelling]:
    """The chosen set of dwellings: the chosen buildings and entrances, or the whole compound."""
    building_ids = list(vote.buildings.values_list("pk", flat=True))
    entrance_ids = list(vote.entrances.values_list("pk", flat=True))
    qs = Dwelling.objects.filter(building__compound_id=vote.compound_id)
    if building_ids or entrance_ids:
        qs = qs.filter(Q(building_id__in=building_ids) | Q(entrance_id__in=entrance_ids))
    return qs.select_related("building", "entrance")


def electorate_problems(vote: Vote) -> list[str]:
    """Dwellings that cannot be counted (flagged before opening): no area, or no owner to vote."""
    problems: list[str] = []
    dwellings = list(electorate_dwellings(vote))
    if not dwellings:
        problems.append(str(_("The chosen buildings and entrances hold no dwelling.")))
    reps = set(
        Ownership.objects.filter(dwelling__in=dwellings, representative=True).values_list("dwelling_id", flat=True)
    )
    for d in dwellings:
        if d.exclusive_area is None or d.exclusive_area <= 0:
            problems.append(str(_("%(dwelling)s: no exclusive area recorded.") % {"dwelling": d.label}))
        elif not d.developer_held and d.pk not in reps:
            problems.append(
                str(_("%(dwelling)s: no owner (or co-owners' representative) recorded.") % {"dwelling": d.label})
            )
    return problems


@transaction.atomic
def vote_create(
    *,
    actor: Any,
    compound: Region,
    title: str,
    matter: int,
    closes_at: datetime.datetime,
    building_ids: list[int] | None = None,
    entrance_ids: list[int] | None = None,
    topic: Topic | None = None,
    body: str = "",
) -> Vote:
    """发起业主表决 (draft): the electorate is the whole compound unless buildings or entrances are chosen."""
    _require_manage(actor, compound)
    errors: dict[str, Any] = {}
    if compound.kind != Region.Kind.COMPOUND:
        errors["compound"] = _("Choose a compound.")
    if not str(title or "").strip():
        errors["title"] = _("Give the vote a title.")
    if matter not in range(1, 10):
        errors["matter"] = _("Choose the art. 278 item (1 to 9).")
    if closes_at <= timezone.now():
        errors["closes_at"] = _("The closing time must be in the future.")
    buildings = list(Building.objects.filter(pk__in=building_ids or [], compound=compound))
    if len(buildings) != len(set(building_ids or [])):
        errors["building_ids"] = _("Some buildings are not in this compound.")
    entrances = list(Entrance.objects.filter(pk__in=entrance_ids or [], building__compound=compound))
    if len(entrances) != len(set(entrance_ids or [])):
        errors["entrance_ids"] = _("Some entrances are not in this compound.")
    if topic is not None and topic.compound_id != compound.pk:
        errors["topic"] = _("The topic belongs to another compound.")
    if errors:
        raise ValidationFailed(errors)
    vote = Vote.objects.create(
        compound=compound,
        title=title.strip(),
        body=str(body or "").strip(),
        matter=matter,
        closes_at=closes_at,
        topic=topic,
        created_by=actor,
    )
    vote.buildings.set(buildings)
    vote.entrances.set(entrances)
    return vote


@transaction.atomic
def vote_open(*, actor: Any, vote: Vote) -> Vote:
    """开始表决: freeze the electorate (areas and owners); refused while any dwelling is flagged."""
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    _require_manage(actor, vote.compound)
    if vote.status != Vote.Status.DRAFT:
        raise DomainError(_("Only a draft vote can be opened."), code="vote_not_draft")
    if vote.closes_at <= timezone.now():
        raise ValidationFailed({"closes_at": _("The closing time must be in the future.")})
    problems = electorate_problems(vote)
    if problems:
        shown = "; ".join(problems[:20]) + ("…" if len(problems) > 20 else "")
        raise ValidationFailed({"dwellings": _("Fix these dwellings first: %(list)s") % {"list": shown}})
    dwellings = list(electorate_dwellings(vote))
    reps = dict(
        Ownership.objects.filter(dwelling__in=dwellings, representative=True).values_list("dwelling_id", "person_id")
    )
    Elector.objects.bulk_create(
        [
            Elector(
                vote=vote,
                dwelling=d,
                label=d.label,
                area=d.exclusive_area or 0,
                owner_key=DEVELOPER if d.developer_held else owner_key(reps[d.pk]),
                person_id=None if d.developer_held else reps[d.pk],
            )
            for d in dwellings
        ],
        batch_size=1000,
    )
    vote.status = Vote.Status.OPEN
    vote.opens_at = timezone.now()
    vote.save(update_fields=["status", "opens_at"])
    _notify_owners(vote, _("Owners' vote open: %(title)s"), _("Vote before %(closes)s."))
    return vote


VOTE_NOT_DRAFT_DOCUMENTS = _("Documents are added while the vote is a draft: owners vote on what they could read.")


@transaction.atomic
def vote_document_add(*, actor: Any, vote: Vote, title: str, file: Any) -> VoteDocument:
    """添加表决材料: staff attach the plan, quotes or drawings before the vote opens."""
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    _require_manage(actor, vote.compound)
    if vote.status != Vote.Status.DRAFT:
        raise DomainError(VOTE_NOT_DRAFT_DOCUMENTS, code="vote_not_draft")
    errors: dict[str, Any] = {}
    if not str(title or "").strip():
        errors["title"] = _("Give the document a title.")
    if file is None:
        errors["file"] = _("Choose a file.")
    if errors:
        raise ValidationFailed(errors)
    _check_file(file, field="file")
    return VoteDocument.objects.create(vote=vote, title=str(title).strip(), file=file, added_by=actor)


def _notify_owners(vote: Vote, title: Any, body: Any) -> None:
    from django.contrib.auth import get_user_model

    person_ids = Elector.objects.filter(vote=vote, person__isnull=False).values("person_id")
    users = get_user_model().objects.filter(person__in=person_ids, is_active=True)
    when = timezone.localtime(vote.closes_at).strftime("%Y-%m-%d %H:%M")
    for user in users:
        notification_send(
            user=user,
            title=title,
            body=body,
            params={"title": vote.title, "closes": when},
            url=f"/compounds/votes/{vote.pk}/",
        )


def _accepting(vote: Vote) -> None:
    if not vote_accepting(vote):
        raise DomainError(VOTE_NOT_OPEN, code="vote_closed")


def _check_choice(choice: str) -> None:
    if choice not in Ballot.Choice.values:
        raise ValidationFailed({"choice": UNKNOWN_CHOICE})


def _save_ballot(**fields: Any) -> Ballot:
    if Ballot.objects.filter(vote=fields["vote"], owner_key=fields["owner_key"]).exists():
        raise Conflict(ALREADY_VOTED)
    try:
        with transaction.atomic():
            return Ballot.objects.create(**fields)
    except IntegrityError:
        raise Conflict(ALREADY_VOTED) from None


@transaction.atomic
def ballot_cast(*, actor: Any, vote: Vote, choice: str) -> Ballot:
    """网上投票: a verified owner (the co-owners' representative) votes once for all their dwellings."""
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    _check_choice(choice)
    _accepting(vote)
    person = Person.objects.filter(user_id=actor.pk).first() if actor and actor.is_authenticated else None
    if person is None:
        raise DomainError(NOT_AN_OWNER, code="not_an_owner")
    key = owner_key(person.pk)
    if not Elector.objects.filter(vote=vote, owner_key=key).exists():
        dwelling_ids = Elector.objects.filter(vote=vote).values("dwelling_id")
        if Ownership.objects.filter(person=person, dwelling_id__in=dwelling_ids).exists():
            raise DomainError(NOT_REPRESENTATIVE, code="not_representative")
        raise DomainError(NOT_AN_OWNER, code="not_an_owner")
    dwelling_ids = Elector.objects.filter(vote=vote, owner_key=key).values("dwelling_id")
    if not Ownership.objects.filter(
        person=person, dwelling_id__in=dwelling_ids, representative=True, verified_at__isnull=False
    ).exists():
        raise DomainError(NOT_VERIFIED, code="not_verified")
    return _save_ballot(
        vote=vote, owner_key=key, person=person, choice=choice, channel=Ballot.Channel.ONLINE, entered_by=actor
    )


@transaction.atomic
def ballot_enter(*, actor: Any, vote: Vote, dwelling_label: str, choice: str, reference: str = "") -> Ballot:
    """录入纸质表决票: staff enter the ballot of the owner of a dwelling (it covers all their dwellings)."""
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    _require_manage(actor, vote.compound)
    _check_choice(choice)
    _accepting(vote)
    elector = Elector.objects.filter(vote=vote, label=str(dwelling_label).strip()).first()
    if elector is None:
        raise ValidationFailed({"dwelling": DWELLING_NOT_IN_ELECTORATE})
    return _save_ballot(
        vote=vote,
        owner_key=elector.owner_key,
        person_id=elector.person_id,
        choice=choice,
        channel=Ballot.Channel.PAPER,
        entered_by=actor,
        reference=str(reference or "")[:40],
    )


def vote_tally(vote: Vote) -> TallyResult:
    """计票 from the frozen electorate and the ballots (the same function as tally_vote)."""
    dwellings = [
        DwellingEntry(label, Fraction(area), key)
        for label, area, key in Elector.objects.filter(vote=vote).values_list("label", "area", "owner_key")
    ]
    ballots = [BallotEntry(k, c) for k, c in Ballot.objects.filter(vote=vote).values_list("owner_key", "choice")]
    return tally(vote.matter, dwellings, ballots)


@transaction.atomic
def vote_close(*, actor: Any, vote: Vote) -> Vote:
    """结束表决并计票: after the closing time (or once every owner has voted)."""
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    _require_manage(actor, vote.compound)
    if vote.status != Vote.Status.OPEN:
        raise DomainError(_("Only an open vote can be closed."), code="vote_not_open")
    result = vote_tally(vote)
    if timezone.now() < vote.closes_at and result.voted_owners < result.total_owners:
        raise DomainError(_("The vote closes at its closing time, unless every owner has voted."), code="too_early")
    vote.status = Vote.Status.CLOSED
    vote.closed_at = timezone.now()
    vote.result = result.as_json()
    vote.save(update_fields=["status", "closed_at", "result"])
    _notify_owners(vote, _("Owners' vote closed: %(title)s"), _("See the result (closed before %(closes)s)."))
    return vote


def vote_record(vote: Vote) -> dict[str, Any]:
    """The full record of a closed vote (see docs/vote-format.md); owner ids are pseudonyms of this export."""
    electors = list(Elector.objects.filter(vote=vote).order_by("label", "pk").values_list("label", "area", "owner_key"))
    pseudonym: dict[str, str] = {}
    for _label, _area, key in electors:
        if key not in pseudonym:
            pseudonym[key] = f"o-{len(pseudonym) + 1}"
    ballots = sorted(
        Ballot.objects.filter(vote=vote).values_list("owner_key", "choice"), key=lambda b: int(pseudonym[b[0]][2:])
    )
    return {
        "format": "jishiyu-vote/1",
        "vote": vote.pk,
        "title": vote.title,
        "compound": vote.compound.name,
        "matter": vote.matter,
        "closed_at": vote.closed_at.isoformat() if vote.closed_at else None,
        "developer_owner": pseudonym.get(DEVELOPER),
        "dwellings": [{"id": label, "area": f"{area:.2f}", "owner": pseudonym[key]} for label, area, key in electors],
        "ballots": [{"owner": pseudonym[key], "choice": choice} for key, choice in ballots],
        "result": vote.result,
    }


def vote_record_allowed(actor: Any, vote: Vote) -> bool:
    """Who may download the record: staff in scope, and the owners (co-owners too) of the electorate."""
    if actor is None or not actor.is_authenticated:
        return False
    if path_in_scope(vote.compound.path, actor.region_paths_for(VIEW)):
        return True
    dwelling_ids = Elector.objects.filter(vote=vote).values("dwelling_id")
    return Ownership.objects.filter(person__user_id=actor.pk, dwelling_id__in=dwelling_ids).exists()


# --- The compound's table: parties, notices, topics, comments, meetings, actions (四方议事) -----------------

NOT_CONVENER = _("Only the convener (the community secretary or their delegate) may do this.")

# The explicit transition table of a topic (议题流转): stage → stages it may move to.
TOPIC_TRANSITIONS: dict[str, frozenset[str]] = {
    Topic.Stage.COLLECT: frozenset({Topic.Stage.DISCUSS, Topic.Stage.CLOSED}),
    Topic.Stage.DISCUSS: frozenset({Topic.Stage.MEETING, Topic.Stage.CLOSED}),
    Topic.Stage.MEETING: frozenset({Topic.Stage.VOTE, Topic.Stage.RESOLUTION, Topic.Stage.DISCUSS}),
    Topic.Stage.VOTE: frozenset({Topic.Stage.RESOLUTION, Topic.Stage.DISCUSS}),
    Topic.Stage.RESOLUTION: frozenset({Topic.Stage.IMPLEMENTATION}),
    Topic.Stage.IMPLEMENTATION: frozenset({Topic.Stage.REVIEW}),
    Topic.Stage.REVIEW: frozenset({Topic.Stage.CLOSED, Topic.Stage.IMPLEMENTATION}),
    Topic.Stage.CLOSED: frozenset(),
}

# Residents' meetings (居民会议) by community kind, when no staff-edited MeetingRule row exists:
# (law, attend share, attend "more than", agree share of those present, agree "more than").
DEFAULT_MEETING_RULES: dict[str, tuple[str, str, bool, str, bool]] = {
    "": ("居民委员会组织法 第十九条", "1/2", True, "1/2", True),
    "village": ("村民委员会组织法 第二十二条", "1/2", True, "1/2", True),
    # The same law's alternative: at least 2/3 of the households' representatives (also a MeetingRule row,
    # written by migration 0002, which staff may edit).
    "village:households": ("村民委员会组织法 第二十二条（户代表）", "2/3", False, "1/2", True),
}


def _require_convener(actor: Any, compound: Region) -> None:
    if is_convener(actor, compound):
        return
    if compound_visible(actor, compound):
        raise PermissionDenied(NOT_CONVENER)
    raise NotFound()


def _people_concerned(topic: Topic) -> set[int]:
    ids = set(PartyMember.objects.filter(party__compound_id=topic.compound_id).values_list("user_id", flat=True))
    ids |= set(Comment.objects.filter(topic=topic, author__isnull=False).values_list("author_id", flat=True))
    if topic.proposer_id:
        ids.add(topic.proposer_id)
    return ids


def _notify(user_ids: set[int], title: Any, params: dict[str, Any], url: str, exclude: Any = None) -> None:
    """Tell ``user_ids`` (not ``exclude``): ``title`` a lazy translation filled with ``params``."""
    from django.contrib.auth import get_user_model

    skip = {getattr(exclude, "pk", None)} - {None}
    for user in get_user_model().objects.filter(pk__in=set(user_ids) - skip, is_active=True):
        notification_send(user=user, title=title, params=params, url=url)


@transaction.atomic
def space_setup(*, actor: Any, compound: Region) -> list[Party]:
    """设立四方平台: one party of each kind, linked to the organisation of that kind in the compound or community."""
    _require_manage(actor, compound)
    parties = []
    for kind, label in Party.Kind.choices:
        org = (
            Organisation.objects.filter(kind=kind, region_id__in=[compound.pk, compound.parent_id], active=True)
            .order_by("-region__depth", "pk")
            .first()
        )
        party, _created = Party.objects.get_or_create(
            compound=compound, kind=kind, defaults={"name": org.name if org else str(label), "organisation": org}
        )
        parties.append(party)
    return parties


@transaction.atomic
def party_member_add(*, actor: Any, party: Party, user: Any, title: str = "", convener: bool = False) -> PartyMember:
    """添加成员 (the convener may delegate convening to a member)."""
    if convener:
        _require_convener(actor, party.compound)
    else:
        _require_manage(actor, party.compound)
    member, _created = PartyMember.objects.update_or_create(
        party=party, user=user, defaults={"title": title[:60], "convener": convener}
    )
    return member


def user_by_phone(phone: str) -> Any:
    """The account with this mobile number (looked up from a POST body, never a URL)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(phone=str(phone or "").strip(), is_active=True).first()
    if user is None:
        raise ValidationFailed({"phone": _("No active account has this mobile number.")})
    return user


@transaction.atomic
def party_member_remove(*, actor: Any, member: PartyMember) -> None:
    """移除成员: staff of the compound; others who see the compound are refused, the rest get 404."""
    if not may_manage(actor, member.party.compound):
        raise PermissionDenied() if compound_visible(actor, member.party.compound) else NotFound()
    member.delete()


@transaction.atomic
def convener_delegate(*, actor: Any, member: PartyMember, convener: bool = True) -> PartyMember:
    """委托召集人: the convener delegates (or withdraws) convening to a party member; the member is told."""
    member = PartyMember.objects.select_for_update().select_related("party__compound").get(pk=member.pk)
    _require_convener(actor, member.party.compound)
    member.convener = convener
    member.save(update_fields=["convener"])
    if convener:
        _notify(
            {member.user_id},
            _("You convene the four-party table of %(compound)s."),
            {"compound": member.party.compound.name},
            f"/compounds/{member.party.compound_id}/",
            actor,
        )
    return member


@transaction.atomic
def notice_publish(*, actor: Any, compound: Region, title: str, body: str = "") -> Notice:
    """发布公告."""
    _require_convener(actor, compound)
    if not str(title or "").strip():
        raise ValidationFailed({"title": _("Give the notice a title.")})
    return Notice.objects.create(compound=compound, title=title.strip()[:120], body=body, author=actor)


@transaction.atomic
def topic_propose(*, actor: Any, compound: Region, title: str, body: str = "", party: Party | None = None) -> Topic:
    """提出议题: a resident or owner of the compound, or any party."""
    if not compound_visible(actor, compound):
        raise NotFound()
    errors: dict[str, Any] = {}
    if not str(title or "").strip():
        errors["title"] = _("Give the topic a title.")
    if party is not None and (
        party.compound_id != compound.pk
        or not (PartyMember.objects.filter(party=party, user_id=actor.pk).exists() or is_convener(actor, compound))
    ):
        errors["party"] = _("You may only propose for a party you sit for.")
    if errors:
        raise ValidationFailed(errors)
    topic = Topic.objects.create(compound=compound, title=title.strip()[:120], body=body, proposer=actor, party=party)
    _notify(_people_concerned(topic), _("New topic: %(title)s"), {"title": topic.title}, topic_url(topic), actor)
    return topic


def topic_url(topic: Topic) -> str:
    return f"/compounds/topics/{topic.pk}/"


@transaction.atomic
def topic_transition(*, actor: Any, topic: Topic, to_stage: str, note: str = "", resolution: str = "") -> Topic:
    """议题流转: only the convener, only along TOPIC_TRANSITIONS."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    _require_convener(actor, topic.compound)
    allowed = TOPIC_TRANSITIONS.get(topic.stage, frozenset())
    if to_stage not in allowed:
        raise DomainError(
            _("A topic cannot move from %(from)s to %(to)s.")
            % {"from": topic.get_stage_display(), "to": dict(Topic.Stage.choices).get(to_stage, to_stage)},
            field="to_stage",
            code="illegal_transition",
        )
    if (
        topic.stage == Topic.Stage.VOTE
        and to_stage == Topic.Stage.RESOLUTION
        and (topic.votes.exclude(status=Vote.Status.CLOSED).exists() or not topic.votes.exists())
    ):
        raise DomainError(_("Close the topic's owners' vote first."), field="to_stage", code="vote_pending")
    if to_stage == Topic.Stage.RESOLUTION:
        if not str(resolution or "").strip():
            raise ValidationFailed({"resolution": _("Write the resolution.")})
        topic.resolution = resolution.strip()
        topic.resolved_at = timezone.now()
    TopicStep.objects.create(topic=topic, from_stage=topic.stage, to_stage=to_stage, actor=actor, note=note[:300])
    topic.stage = to_stage
    topic.save(update_fields=["stage", "resolution", "resolved_at"])
    _notify(
        _people_concerned(topic),
        _("Topic %(title)s: now %(stage)s"),
        {"title": topic.title, "stage": Topic.Stage(topic.stage).label},
        topic_url(topic),
        actor,
    )
    return topic


@transaction.atomic
def comment_add(*, actor: Any, topic: Topic, body: str) -> Comment:
    """发表评论 (while the topic is not closed)."""
    if not compound_visible(actor, topic.compound):
        raise NotFound()
    if topic.stage == Topic.Stage.CLOSED:
        raise DomainError(_("The topic is closed."), code="topic_closed")
    if not str(body or "").strip():
        raise ValidationFailed({"body": _("Write a comment.")})
    return Comment.objects.create(topic=topic, author=actor, body=body.strip()[:4000])


@transaction.atomic
def comment_moderate(*, actor: Any, comment: Comment, hide: bool, reason: str = "") -> Comment:
    """审核评论: the convener hides (with a reason) or shows a comment."""
    _require_convener(actor, comment.topic.compound)
    if hide and not str(reason or "").strip():
        raise ValidationFailed({"reason": _("Give the reason for hiding the comment.")})
    comment.status = Comment.Status.HIDDEN if hide else Comment.Status.VISIBLE
    comment.moderation_reason = reason.strip()[:200] if hide else ""
    comment.save(update_fields=["status", "moderation_reason"])
    return comment


@transaction.atomic
def meeting_schedule(
    *,
    actor: Any,
    compound: Region,
    title: str,
    held_at: datetime.datetime,
    agenda: str = "",
    place: str = "",
    topic: Topic | None = None,
    kind: str = Meeting.Kind.FOUR_PARTY,
    quorum_basis: str = Meeting.QuorumBasis.PEOPLE,
) -> Meeting:
    """召开会议: the convener schedules it; the parties are told."""
    _require_convener(actor, compound)
    errors: dict[str, Any] = {}
    if not str(title or "").strip():
        errors["title"] = _("Give the meeting a title.")
    if kind not in Meeting.Kind.values:
        errors["kind"] = _("Unknown meeting kind.")
    if quorum_basis not in Meeting.QuorumBasis.values:
        errors["quorum_basis"] = _("Unknown quorum basis.")
    elif quorum_basis == Meeting.QuorumBasis.HOUSEHOLDS and (
        kind != Meeting.Kind.RESIDENTS or not _rule_exists(_rule_key(compound, quorum_basis))
    ):
        errors["quorum_basis"] = _(
            "Household representatives count only at residents' meetings of communities whose rules allow it."
        )
    if topic is not None and topic.compound_id != compound.pk:
        errors["topic"] = _("The topic belongs to another compound.")
    if errors:
        raise ValidationFailed(errors)
    meeting = Meeting.objects.create(
        compound=compound,
        title=title.strip(),
        held_at=held_at,
        agenda=agenda,
        place=place,
        topic=topic,
        kind=kind,
        quorum_basis=quorum_basis,
    )
    members = set(PartyMember.objects.filter(party__compound=compound).values_list("user_id", flat=True))
    _notify(members, _("Meeting: %(title)s"), {"title": meeting.title}, f"/compounds/{compound.pk}/", actor)
    return meeting


@transaction.atomic
def meeting_record(
    *,
    actor: Any,
    meeting: Meeting,
    attendees: list[tuple[str, Party | None]] | None = None,
    decisions: str = "",
    minutes: Any = None,
    entitled: int | None = None,
    present: int | None = None,
    agreed: int | None = None,
) -> Meeting:
    """会议记录: attendance, minutes file, decisions (and, for a residents' meeting, the counts)."""
    _require_convener(actor, meeting.compound)
    if minutes is not None:
        _check_minutes(minutes)
    counts_given = any(v is not None for v in (entitled, present, agreed))
    if meeting.kind == Meeting.Kind.RESIDENTS and counts_given:
        errors: dict[str, Any] = {}
        if entitled is None or entitled <= 0:
            errors["entitled"] = _("Give the number entitled to attend.")
        if present is None or present < 0 or (entitled is not None and present > entitled):
            errors["present"] = _("Present must be between 0 and the number entitled.")
        if agreed is None or agreed < 0 or (present is not None and agreed > present):
            errors["agreed"] = _("Agreed must be between 0 and the number present.")
        if errors:
            raise ValidationFailed(errors)
        meeting.entitled, meeting.present, meeting.agreed = entitled, present, agreed
    for name, party in attendees or []:
        if party is not None and party.compound_id != meeting.compound_id:
            raise ValidationFailed({"party": _("The party belongs to another compound.")})
        if not str(name or "").strip():
            raise ValidationFailed({"name": _("Give the attendee's name.")})
        Attendance.objects.create(meeting=meeting, name=name.strip()[:50], party=party)
    if decisions:
        meeting.decisions = decisions
    if minutes is not None:
        meeting.minutes = minutes
    meeting.save()
    return meeting


MINUTES_EXTENSIONS = frozenset({"pdf", "doc", "docx", "odt", "txt", "jpg", "jpeg", "png"})
MINUTES_MAX_BYTES = 10 * 1024 * 1024


def _check_minutes(minutes: Any) -> None:
    _check_file(minutes, field="minutes")


def _check_file(upload: Any, *, field: str) -> None:
    """Minutes and vote documents: PDF, Word, text or an image, at most 10 MB."""
    name = str(getattr(upload, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kinds = ", ".join(sorted(MINUTES_EXTENSIONS))
    if extension not in MINUTES_EXTENSIONS:
        if field == "minutes":
            message = _("Upload the minutes as PDF, Word, text or an image (%(kinds)s).") % {"kinds": kinds}
        else:
            message = _("Upload the document as PDF, Word, text or an image (%(kinds)s).") % {"kinds": kinds}
        raise ValidationFailed({field: message})
    if (getattr(upload, "size", 0) or 0) > MINUTES_MAX_BYTES:
        if field == "minutes":
            raise ValidationFailed({field: _("The minutes file is larger than 10 MB.")})
        raise ValidationFailed({field: _("The file is larger than 10 MB.")})
    rename_document(upload, MINUTES_EXTENSIONS)


@transaction.atomic
def meeting_update(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    held_at: datetime.datetime,
    agenda: str = "",
    place: str = "",
    topic: Topic | None = None,
) -> Meeting:
    """修改会议: the convener edits title, time, place, agenda and topic."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_convener(actor, meeting.compound)
    errors: dict[str, Any] = {}
    if not str(title or "").strip():
        errors["title"] = _("Give the meeting a title.")
    if topic is not None and topic.compound_id != meeting.compound_id:
        errors["topic"] = _("The topic belongs to another compound.")
    if errors:
        raise ValidationFailed(errors)
    meeting.title, meeting.held_at, meeting.agenda = title.strip()[:120], held_at, agenda
    meeting.place, meeting.topic = place[:120], topic
    meeting.save(update_fields=["title", "held_at", "agenda", "place", "topic"])
    return meeting


@transaction.atomic
def attendance_remove(*, actor: Any, attendance: Attendance) -> None:
    """删除出席记录 (a mistaken entry)."""
    _require_convener(actor, attendance.meeting.compound)
    attendance.delete()


def _rule_key(compound: Region, quorum_basis: str) -> str:
    """The MeetingRule key: the community kind, with ":households" when household representatives are counted."""
    community = compound.parent
    kind = community.community_kind if community else ""
    return f"{kind}:households" if quorum_basis == Meeting.QuorumBasis.HOUSEHOLDS else kind


def _rule_exists(key: str) -> bool:
    return key in DEFAULT_MEETING_RULES or MeetingRule.objects.filter(community_kind=key).exists()


def meeting_rule(community_kind: str) -> tuple[str, Fraction, bool, Fraction, bool]:
    """The residents' meeting rule for a community kind: the staff-edited table, else the law's default."""
    row = MeetingRule.objects.filter(community_kind=community_kind).first()
    if row is not None:
        return row.law, Fraction(row.attend_share), row.attend_strict, Fraction(row.agree_share), row.agree_strict
    law, attend, attend_strict, agree, agree_strict = DEFAULT_MEETING_RULES.get(
        community_kind, DEFAULT_MEETING_RULES[""]
    )
    return law, Fraction(attend), attend_strict, Fraction(agree), agree_strict


def _meets(share: Fraction, threshold: Fraction, strict: bool) -> bool:
    return share > threshold if strict else share >= threshold


def meeting_outcome(meeting: Meeting) -> dict[str, Any] | None:
    """Whether a residents' meeting was quorate and its decision carried (居民会议有效/通过)."""
    if meeting.kind != Meeting.Kind.RESIDENTS or not meeting.entitled or meeting.present is None:
        return None
    law, attend, attend_strict, agree, agree_strict = meeting_rule(_rule_key(meeting.compound, meeting.quorum_basis))
    quorate = _meets(Fraction(meeting.present, meeting.entitled), attend, attend_strict)
    carried = bool(meeting.present) and _meets(Fraction(meeting.agreed or 0, meeting.present), agree, agree_strict)
    return {"law": law, "quorate": quorate, "carried": quorate and carried}


@transaction.atomic
def action_create(
    *, actor: Any, topic: Topic, title: str, due_date: datetime.date, responsible: Party | None = None
) -> Action:
    """决议转为落实事项 (after the resolution)."""
    _require_convener(actor, topic.compound)
    errors: dict[str, Any] = {}
    if topic.stage not in {Topic.Stage.RESOLUTION, Topic.Stage.IMPLEMENTATION}:
        errors["topic"] = _("Actions follow a resolution.")
    if not str(title or "").strip():
        errors["title"] = _("Give the action a title.")
    if responsible is not None and responsible.compound_id != topic.compound_id:
        errors["responsible"] = _("The party belongs to another compound.")
    if errors:
        raise ValidationFailed(errors)
    return Action.objects.create(
        compound=topic.compound, topic=topic, title=title.strip()[:120], due_date=due_date, responsible=responsible
    )


@transaction.atomic
def action_progress(*, actor: Any, action: Action, text: str, progress: int) -> ActionUpdate:
    """报告进展: the convener or a member of the responsible party; 100% marks it done."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    member = action.responsible_id and PartyMember.objects.filter(party_id=action.responsible_id, user_id=actor.pk)
    if not (is_convener(actor, action.compound) or (member and member.exists())):
        if compound_visible(actor, action.compound):
            raise PermissionDenied()
        raise NotFound()
    errors: dict[str, Any] = {}
    if not 0 <= progress <= 100:
        errors["progress"] = _("Progress is a percentage from 0 to 100.")
    if not str(text or "").strip():
        errors["text"] = _("Describe the progress.")
    if errors:
        raise ValidationFailed(errors)
    update = ActionUpdate.objects.create(action=action, text=text.strip()[:500], progress=progress, author=actor)
    action.progress = progress
    action.status = Action.Status.DONE if progress == 100 else Action.Status.IN_PROGRESS
    action.done_on = timezone.localdate() if progress == 100 else None
    action.save(update_fields=["progress", "status", "done_on"])
    return update
