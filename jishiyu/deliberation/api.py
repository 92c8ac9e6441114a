"""JSON API of the deliberation app (mounted under /api/v1/deliberation). Thin: parse, call a selector or
a service, answer. Out of scope answers 404 like a missing record."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import File, Router, Schema, Status, UploadedFile

from jishiyu.core.errors import NotFound, ValidationFailed
from jishiyu.deliberation import selectors, services
from jishiyu.deliberation.models import Meeting, Party, PartyMember, Topic, Vote
from jishiyu.regions.models import Region

router = Router(tags=["deliberation"])


class CompoundOut(Schema):
    id: int
    name: str


class TopicOut(Schema):
    id: int
    compound_id: int
    title: str
    body: str
    stage: str
    resolution: str
    created_at: datetime.datetime
    resolved_at: datetime.datetime | None


class TopicProposeIn(Schema):
    title: str
    body: str = ""
    party_id: int | None = None


class TopicTransitionIn(Schema):
    to_stage: str
    note: str = ""
    resolution: str = ""


class CommentAddIn(Schema):
    body: str


class CommentOut(Schema):
    id: int
    body: str
    status: str
    created_at: datetime.datetime


class VoteCreateIn(Schema):
    title: str
    body: str = ""
    matter: int
    closes_at: datetime.datetime
    building_ids: list[int] = []
    entrance_ids: list[int] = []
    topic_id: int | None = None


class VoteOut(Schema):
    id: int
    compound_id: int
    title: str
    body: str
    matter: int
    status: str
    closes_at: datetime.datetime
    closed_at: datetime.datetime | None
    result: dict[str, Any] | None


class BallotCastIn(Schema):
    choice: str


class BallotEnterIn(Schema):
    dwelling: str
    choice: str
    reference: str = ""


class BallotOut(Schema):
    id: int
    choice: str
    channel: str


class ActionOut(Schema):
    id: int
    topic_id: int
    title: str
    responsible: str | None
    due_date: datetime.date
    progress: int
    status: str
    done_on: datetime.date | None

    @staticmethod
    def resolve_responsible(obj: Any) -> str | None:
        return obj.responsible.name if obj.responsible_id else None


class ActionCreateIn(Schema):
    title: str
    due_date: datetime.date
    responsible_id: int | None = None


class ActionProgressIn(Schema):
    text: str
    progress: int


@router.get("/compounds", response=list[CompoundOut], summary="Compounds I may see (小区)")
def compound_list(request: HttpRequest) -> Any:
    return list(selectors.compound_list(actor=request.user)[:500])


@router.get("/compounds/{int:compound_id}/topics", response=list[TopicOut], summary="Topics of a compound (议题)")
def topic_list(request: HttpRequest, compound_id: int) -> Any:
    compound = selectors.compound_get(actor=request.user, compound_id=compound_id)
    return list(selectors.topic_list(actor=request.user, compound=compound)[:500])


@router.post("/compounds/{int:compound_id}/topics", response={201: TopicOut}, summary="Propose a topic (提出议题)")
def topic_propose(request: HttpRequest, compound_id: int, payload: TopicProposeIn) -> Any:
    compound = selectors.compound_get(actor=request.user, compound_id=compound_id)
    party = None
    if payload.party_id is not None:
        party = Party.objects.filter(pk=payload.party_id, compound=compound).first()
        if party is None:
            raise ValidationFailed({"party_id": _("Unknown party.")})
    topic = services.topic_propose(
        actor=request.user, compound=compound, title=payload.title, body=payload.body, party=party
    )
    return Status(201, topic)


@router.get("/topics/{int:topic_id}", response=TopicOut, summary="One topic")
def topic_detail(request: HttpRequest, topic_id: int) -> Any:
    return selectors.topic_get(actor=request.user, topic_id=topic_id)


@router.post("/topics/{int:topic_id}/transition", response=TopicOut, summary="Move a topic (议题流转; convener)")
def topic_transition(request: HttpRequest, topic_id: int, payload: TopicTransitionIn) -> Any:
    topic = selectors.topic_get(actor=request.user, topic_id=topic_id)
    return services.topic_transition(
        actor=request.user, topic=topic, to_stage=payload.to_stage, note=payload.note, resolution=payload.resolution
    )


@router.get("/topics/{int:topic_id}/comments", response=list[CommentOut], summary="Comments of a topic")
def comment_list(request: HttpRequest, topic_id: int) -> Any:
    topic = selectors.topic_get(actor=request.user, topic_id=topic_id)
    return list(selectors.comments(actor=request.user, topic=topic))


@router.post("/topics/{int:topic_id}/comments", response={201: CommentOut}, summary="Comment (评论)")
def comment_add(request: HttpRequest, topic_id: int, payload: CommentAddIn) -> Any:
    topic = selectors.topic_get(actor=request.user, topic_id=topic_id)
    return Status(201, services.comment_add(actor=request.user, topic=topic, body=payload.body))


@router.post("/topics/{int:topic_id}/actions", response={201: ActionOut}, summary="Resolution → action")
def action_create(request: HttpRequest, topic_id: int, payload: ActionCreateIn) -> Any:
    topic = selectors.topic_get(actor=request.user, topic_id=topic_id)
    party = Party.objects.filter(pk=payload.responsible_id or 0, compound=topic.compound).first()
    if payload.responsible_id and party is None:
        raise ValidationFailed({"responsible_id": _("Unknown party.")})
    action = services.action_create(
        actor=request.user, topic=topic, title=payload.title, due_date=payload.due_date, responsible=party
    )
    return Status(201, action)


@router.post("/actions/{int:action_id}/progress", response=ActionOut, summary="Report progress (进展)")
def action_progress(request: HttpRequest, action_id: int, payload: ActionProgressIn) -> Any:
    action = selectors.action_get(actor=request.user, action_id=action_id)
    services.action_progress(actor=request.user, action=action, text=payload.text, progress=payload.progress)
    return selectors.action_get(actor=request.user, action_id=action_id)


@router.get(
    "/compounds/{int:compound_id}/actions", response=list[ActionOut], auth=None, summary="Public actions (公开)"
)
def action_public(request: HttpRequest, compound_id: int) -> Any:
    return list(selectors.actions_public(compound=selectors.compound_public(compound_id=compound_id)))


@router.get("/compounds/{int:compound_id}/votes", response=list[VoteOut], summary="Owners' votes of a compound")
def vote_list(request: HttpRequest, compound_id: int) -> Any:
    compound = selectors.compound_get(actor=request.user, compound_id=compound_id)
    return list(selectors.vote_list(actor=request.user, compound=compound)[:200])


@router.post("/compounds/{int:compound_id}/votes", response={201: VoteOut}, summary="Draft an owners' vote")
def vote_create(request: HttpRequest, compound_id: int, payload: VoteCreateIn) -> Any:
    compound = selectors.compound_get(actor=request.user, compound_id=compound_id)
    topic = Topic.objects.filter(pk=payload.topic_id or 0, compound=compound).first()
    if payload.topic_id and topic is None:
        raise ValidationFailed({"topic_id": _("Unknown topic.")})
    vote = services.vote_create(
        actor=request.user,
        compound=compound,
        title=payload.title,
        body=payload.body,
        matter=payload.matter,
        closes_at=payload.closes_at,
        building_ids=payload.building_ids,
        entrance_ids=payload.entrance_ids,
        topic=topic,
    )
    return Status(201, vote)


@router.get("/votes/{int:vote_id}", response=VoteOut, summary="One owners' vote")
def vote_detail(request: HttpRequest, vote_id: int) -> Any:
    return selectors.vote_get(actor=request.user, vote_id=vote_id)


@router.post("/votes/{int:vote_id}/open", response=VoteOut, summary="Open the vote (freeze the electorate)")
def vote_open(request: HttpRequest, vote_id: int) -> Any:
    return services.vote_open(actor=request.user, vote=selectors.vote_get(actor=request.user, vote_id=vote_id))


@router.post("/votes/{int:vote_id}/close", response=VoteOut, summary="Close and count (art. 278)")
def vote_close(request: HttpRequest, vote_id: int) -> Any:
    return services.vote_close(actor=request.user, vote=selectors.vote_get(actor=request.user, vote_id=vote_id))


@router.post(
    "/votes/{int:vote_id}/ballot",
    response={201: BallotOut},
    summary="Vote online (verified owner)",
    description=(
        "Casts the owner's ballot in one call and it is final: a second call answers 409. Unlike the web page, "
        "which shows a confirmation step before storing the ballot, the API takes no confirm flag: a client app "
        "must show the owner the proposal, the documents and its own confirmation step before calling."
    ),
)
def ballot_cast(request: HttpRequest, vote_id: int, payload: BallotCastIn) -> Any:
    vote = selectors.vote_get(actor=request.user, vote_id=vote_id)
    return Status(201, services.ballot_cast(actor=request.user, vote=vote, choice=payload.choice))


@router.post("/votes/{int:vote_id}/paper", response={201: BallotOut}, summary="Enter a paper ballot (staff)")
def ballot_enter(request: HttpRequest, vote_id: int, payload: BallotEnterIn) -> Any:
    vote = selectors.vote_get(actor=request.user, vote_id=vote_id)
    ballot = services.ballot_enter(
        actor=request.user,
        vote=vote,
        dwelling_label=payload.dwelling,
        choice=payload.choice,
        reference=payload.reference,
    )
    return Status(201, ballot)


@router.get("/votes/{int:vote_id}/record", summary="The full record of a closed vote (JSON, for a recount)")
def vote_record(request: HttpRequest, vote_id: int) -> Any:
    vote = selectors.vote_get(actor=request.user, vote_id=vote_id)
    if vote.status != Vote.Status.CLOSED or not services.vote_record_allowed(request.user, vote):
        raise NotFound()
    return services.vote_record(vote)


@router.get("/figures", summary="Dashboard figures (topics, votes, turnout, actions) for a region")
def figures(request: HttpRequest, region: int) -> Any:
    node = Region.objects.filter(pk=region).first()
    if node is None:
        raise NotFound()
    return selectors.figures(actor=request.user, region=node)


# --- meetings (会议) ---------------------------------------------------------------------------------


class AttendeeOut(Schema):
    id: int
    name: str
    party_id: int | None


class MeetingOut(Schema):
    id: int
    compound_id: int
    topic_id: int | None
    kind: str
    quorum_basis: str
    title: str
    agenda: str
    held_at: datetime.datetime
    place: str
    decisions: str
    has_minutes: bool
    entitled: int | None
    present: int | None
    agreed: int | None
    outcome: dict[str, Any] | None
    attendance: list[AttendeeOut]

    @staticmethod
    def resolve_has_minutes(obj: Any) -> bool:
        return bool(obj.minutes)

    @staticmethod
    def resolve_outcome(obj: Any) -> dict[str, Any] | None:
        return services.meeting_outcome(obj)

    @staticmethod
    def resolve_attendance(obj: Any) -> list[Any]:
        return list(selectors.attendance(meeting=obj))


class MeetingListOut(Schema):
    id: int
    kind: str
    title: str
    held_at: datetime.datetime
    place: str
    topic_id: int | None


class MeetingIn(Schema):
    title: str
    held_at: datetime.datetime
    agenda: str = ""
    place: str = ""
    topic_id: int | None = None


class MeetingCreateIn(MeetingIn):
    kind: str = Meeting.Kind.FOUR_PARTY
    quorum_basis: str = Meeting.QuorumBasis.PEOPLE


class AttendeeIn(Schema):
    name: str
    party_id: int | None = None


class MeetingRecordIn(Schema):
    attendees: list[AttendeeIn] = []
    decisions: str = ""
    entitled: int | None = None
    present: int | None = None
    agreed: int | None = None


def _topic_of(compound: Region, topic_id: int | None) -> Topic | None:
    topic = Topic.objects.filter(pk=topic_id or 0, compound=compound).first()
    if topic_id and topic is None:
        raise ValidationFailed({"topic_id": _("Unknown topic.")})
    return topic


@router.get(
    "/compounds/{int:compound_id}/meetings", response=list[MeetingListOut], summary="Meetings of a compound (会议)"
)
def meeting_list(request: HttpRequest, compound_id: int) -> Any:
    compound = selectors.compound_get(actor=request.user, compound_id=compound_id)
    return list(selectors.meeting_list(actor=request.user, compound=compound)[:500])


@router.post(
    "/compounds/{int:compound_id}/meetings", response={201: MeetingOut}, summary="Schedule a meeting (convener)"
)
def meeting_create(request: HttpRequest, compound_id: int, payload: MeetingCreateIn) -> Any:
    compound = selectors.compound_get(actor=request.user, compound_id=compound_id)
    meeting = services.meeting_schedule(
        actor=request.user,
        compound=compound,
        title=payload.title,
        held_at=payload.held_at,
        agenda=payload.agenda,
        place=payload.place,
        topic=_topic_of(compound, payload.topic_id),
        kind=payload.kind,
        quorum_basis=payload.quorum_basis,
    )
    return Status(201, meeting)


@router.get("/meetings/{int:meeting_id}", response=MeetingOut, summary="One meeting with its attendance")
def meeting_detail(request: HttpRequest, meeting_id: int) -> Any:
    return selectors.meeting_get(actor=request.user, meeting_id=meeting_id)


@router.put("/meetings/{int:meeting_id}", response=MeetingOut, summary="Edit a meeting (convener)")
def meeting_update(request: HttpRequest, meeting_id: int, payload: MeetingIn) -> Any:
    meeting = selectors.meeting_get(actor=request.user, meeting_id=meeting_id)
    return services.meeting_update(
        actor=request.user,
        meeting=meeting,
        title=payload.title,
        held_at=payload.held_at,
        agenda=payload.agenda,
        place=payload.place,
        topic=_topic_of(meeting.compound, payload.topic_id),
    )


@router.post("/meetings/{int:meeting_id}/record", response=MeetingOut, summary="Record attendance and decisions")
def meeting_record(request: HttpRequest, meeting_id: int, payload: MeetingRecordIn) -> Any:
    meeting = selectors.meeting_get(actor=request.user, meeting_id=meeting_id)
    parties = {p.pk: p for p in Party.objects.filter(compound=meeting.compound)}
    attendees = []
    for i, a in enumerate(payload.attendees):
        if a.party_id is not None and a.party_id not in parties:
            raise ValidationFailed({f"attendees[{i}].party_id": _("Unknown party.")})
        attendees.append((a.name, parties.get(a.party_id or 0)))
    services.meeting_record(
        actor=request.user,
        meeting=meeting,
        attendees=attendees,
        decisions=payload.decisions,
        entitled=payload.entitled,
        present=payload.present,
        agreed=payload.agreed,
    )
    return selectors.meeting_get(actor=request.user, meeting_id=meeting_id)


@router.delete(
    "/meetings/{int:meeting_id}/attendance/{int:attendance_id}",
    response={204: None},
    summary="Remove a mistaken attendance entry (convener)",
)
def attendance_remove(request: HttpRequest, meeting_id: int, attendance_id: int) -> Any:
    entry = selectors.attendance_get(actor=request.user, meeting_id=meeting_id, attendance_id=attendance_id)
    services.attendance_remove(actor=request.user, attendance=entry)
    return Status(204, None)


@router.post("/meetings/{int:meeting_id}/minutes", response=MeetingOut, summary="Upload the minutes (a file)")
def meeting_minutes(request: HttpRequest, meeting_id: int, minutes: File[UploadedFile]) -> Any:
    meeting = selectors.meeting_get(actor=request.user, meeting_id=meeting_id)
    services.meeting_record(actor=request.user, meeting=meeting, minutes=minutes)
    return selectors.meeting_get(actor=request.user, meeting_id=meeting_id)


# --- parties and members (四方成员) ----------------------------------------------------------------


class MemberOut(Schema):
    id: int
    user_id: int
    name: str
    title: str
    convener: bool

    @staticmethod
    def resolve_name(obj: PartyMember) -> str:
        return obj.user.name


class PartyOut(Schema):
    id: int
    kind: str
    name: str
    members: list[MemberOut]

    @staticmethod
    def resolve_members(obj: Any) -> list[Any]:
        return list(obj.members.all())


class MemberAddIn(Schema):
    phone: str
    title: str = ""


class DelegateIn(Schema):
    convener: bool = True


@router.get("/compounds/{int:compound_id}/parties", response=list[PartyOut], summary="The four parties and members")
def party_list(request: HttpRequest, compound_id: int) -> Any:
    compound = selectors.compound_get(actor=request.user, compound_id=compound_id)
    return list(selectors.parties(compound=compound))


@router.post("/parties/{int:party_id}/members", response={201: MemberOut}, summary="Add a member (phone in body)")
def party_member_add(request: HttpRequest, party_id: int, payload: MemberAddIn) -> Any:
    party = selectors.party_get(actor=request.user, party_id=party_id)
    user = services.user_by_phone(payload.phone)
    return Status(201, services.party_member_add(actor=request.user, party=party, user=user, title=payload.title))


@router.delete("/members/{int:member_id}", response={204: None}, summary="Remove a member")
def party_member_remove(request: HttpRequest, member_id: int) -> Any:
    member = selectors.party_member_get(actor=request.user, member_id=member_id)
    services.party_member_remove(actor=request.user, member=member)
    return Status(204, None)


@router.post("/members/{int:member_id}/convener", response=MemberOut, summary="Delegate or withdraw convening")
def convener_delegate(request: HttpRequest, member_id: int, payload: DelegateIn) -> Any:
    member = selectors.party_member_get(actor=request.user, member_id=member_id)
    return services.convener_delegate(actor=request.user, member=member, convener=payload.convener)
