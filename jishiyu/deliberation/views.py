"""Pages of 小区里 (/compounds/): phone-first for owners (vote with big buttons), desk pages for staff,
and the public accountability page of each compound. Thin: forms parse, services decide."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jishiyu.core.errors import DomainError, NotFound
from jishiyu.core.pages import page_for, scoped
from jishiyu.deliberation import permissions, selectors, services
from jishiyu.deliberation.forms import (
    ActionForm,
    AttendanceForm,
    CommentForm,
    MeetingForm,
    MeetingRecordForm,
    NoticeForm,
    PaperBallotForm,
    PartyMemberForm,
    ProgressForm,
    TopicForm,
    VoteCreateForm,
    VoteDocumentForm,
)
from jishiyu.deliberation.models import Ballot, Comment, Elector, Meeting, Party, Topic, Vote
from jishiyu.deliberation.tally import MAJOR, ORDINARY, QUORUM, RULE_MAJOR, TallyResult, fraction_text
from jishiyu.regions.models import Region


def _run(request: HttpRequest, call: Callable[[], Any], done: str = "") -> Any:
    """Run a service; a refusal becomes a message naming the field, never a 500."""
    try:
        result = call()
    except NotFound:
        raise
    except DomainError as exc:
        details = [f"{field}: {'; '.join(str(m) for m in msgs)}" for field, msgs in exc.errors.items()]
        messages.error(request, " ".join(details) or str(exc.message))
        return None
    if done:
        messages.success(request, done)
    return result


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else field
        messages.error(request, f"{label}: {' '.join(errors)}")


@scoped
def compound_list(request: HttpRequest) -> HttpResponse:
    """我的小区 / 辖区小区."""
    compounds = list(selectors.compound_list(actor=request.user)[:200])
    if len(compounds) == 1:
        return redirect("deliberation:compound-detail", compound_id=compounds[0].pk)
    return render(request, "deliberation/compound_list.html", {"compounds": compounds})


@scoped
def compound_detail(request: HttpRequest, compound_id: int) -> HttpResponse:
    """小区议事厅: the four parties, notices, topics by stage, votes."""
    compound = selectors.compound_get(actor=request.user, compound_id=compound_id)
    if request.method == "POST":
        form: Any = TopicForm(request.POST)
        if form.is_valid():
            topic = _run(
                request,
                lambda: services.topic_propose(actor=request.user, compound=compound, **form.cleaned_data),
                _("Topic proposed."),
            )
            if topic:
                return redirect("deliberation:topic-detail", topic_id=topic.pk)
        else:
            _form_errors(request, form)
        return redirect("deliberation:compound-detail", compound_id=compound.pk)
    topics = list(selectors.topic_list(actor=request.user, compound=compound)[:200])
    user: Any = request.user
    context = {
        "compound": compound,
        "parties": selectors.parties(compound=compound),
        "notices": selectors.notices(compound=compound)[:5],
        "topics": topics,
        "votes": selectors.vote_list(actor=request.user, compound=compound)[:20],
        "topic_form": TopicForm(),
        "notice_form": NoticeForm(),
        "convener": permissions.is_convener(user, compound),
        "may_manage": services.may_manage(user, compound),
    }
    return render(request, "deliberation/compound_detail.html", context)


@scoped
@require_POST
def space_setup(request: HttpRequest, compound_id: int) -> HttpResponse:
    compound = selectors.compound_get(actor=request.user, compound_id=compound_id)
    _run(
        request, lambda: services.space_setup(actor=request.user, compound=compound), _("The four parties are set up.")
    )
    return redirect("deliberation:compound-detail", compound_id=compound.pk)


@scoped
@require_POST
def notice_publish(request: HttpRequest, compound_id: int) -> HttpResponse:
    compound = selectors.compound_get(actor=request.user, compound_id=compound_id)
    form = NoticeForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.notice_publish(actor=request.user, compound=compound, **form.cleaned_data),
            _("Notice published."),
        )
    else:
        _form_errors(request, form)
    return redirect("deliberation:compound-detail", compound_id=compound.pk)


@scoped
def topic_detail(request: HttpRequest, topic_id: int) -> HttpResponse:
    """议题: discussion, stage moves (convener), actions."""
    topic = selectors.topic_get(actor=request.user, topic_id=topic_id)
    user: Any = request.user
    convener = permissions.is_convener(user, topic.compound)
    stages = dict(Topic.Stage.choices)
    context = {
        "topic": topic,
        "steps": topic.steps.select_related("actor"),
        "comments": selectors.comments(actor=request.user, topic=topic),
        "comment_form": CommentForm(),
        "convener": convener,
        "next_stages": [(s, stages[s]) for s in Topic.Stage.values if s in services.TOPIC_TRANSITIONS[topic.stage]],
        "actions": topic.actions.select_related("responsible"),
        "action_form": ActionForm(),
        "parties": Party.objects.filter(compound=topic.compound),
        "votes": topic.votes.all(),
        "meetings": topic.meetings.all(),
    }
    return render(request, "deliberation/topic_detail.html", context)


@scoped
@require_POST
def topic_transition(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = selectors.topic_get(actor=request.user, topic_id=topic_id)
    _run(
        request,
        lambda: services.topic_transition(
            actor=request.user,
            topic=topic,
            to_stage=request.POST.get("to_stage", ""),
            note=request.POST.get("note", ""),
            resolution=request.POST.get("resolution", ""),
        ),
        _("The topic has moved on."),
    )
    return redirect("deliberation:topic-detail", topic_id=topic.pk)


@scoped
@require_POST
def comment_add(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = selectors.topic_get(actor=request.user, topic_id=topic_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.comment_add(actor=request.user, topic=topic, body=form.cleaned_data["body"]))
    else:
        _form_errors(request, form)
    return redirect("deliberation:topic-detail", topic_id=topic.pk)


@scoped
@require_POST
def comment_moderate(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = Comment.objects.select_related("topic").filter(pk=comment_id).first()
    if comment is None:
        raise Http404()
    selectors.topic_get(actor=request.user, topic_id=comment.topic_id)
    hide = request.POST.get("hide") == "1"
    _run(
        request,
        lambda: services.comment_moderate(
            actor=request.user, comment=comment, hide=hide, reason=request.POST.get("reason", "")
        ),
    )
    return redirect("deliberation:topic-detail", topic_id=comment.topic_id)


@scoped
@require_POST
def action_create(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = selectors.topic_get(actor=request.user, topic_id=topic_id)
    form = ActionForm(request.POST)
    if form.is_valid():
        party = Party.objects.filter(pk=form.cleaned_data["responsible"] or 0, compound=topic.compound).first()
        _run(
            request,
            lambda: services.action_create(
                actor=request.user,
                topic=topic,
                title=form.cleaned_data["title"],
                due_date=form.cleaned_data["due_date"],
                responsible=party,
            ),
            _("Action added."),
        )
    else:
        _form_errors(request, form)
    return redirect("deliberation:topic-detail", topic_id=topic.pk)


@scoped
@require_POST
def action_progress(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_get(actor=request.user, action_id=action_id)
    form = ProgressForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.action_progress(actor=request.user, action=action, **form.cleaned_data))
    else:
        _form_errors(request, form)
    return redirect("deliberation:topic-detail", topic_id=action.topic_id)


def actions_public(request: HttpRequest, compound_id: int) -> HttpResponse:
    """公开的落实情况: public by design, no personal data (parties and dates only)."""
    try:
        compound = selectors.compound_public(compound_id=compound_id)
    except NotFound:
        raise Http404() from None
    context = {
        "compound": compound,
        "actions": selectors.actions_public(compound=compound),
        "resolved": Topic.objects.filter(compound=compound, resolved_at__isnull=False).order_by("-resolved_at")[:50],
    }
    return render(request, "deliberation/actions_public.html", context)


# --- votes ---------------------------------------------------------------------------------------


@scoped
def vote_create(request: HttpRequest, compound_id: int) -> HttpResponse:
    """发起业主表决 (staff)."""
    compound = selectors.compound_get(actor=request.user, compound_id=compound_id)
    user: Any = request.user
    if not services.may_manage(user, compound):
        raise Http404()
    form = VoteCreateForm(request.POST or None, compound=compound)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            topic = Topic.objects.filter(pk=request.POST.get("topic") or 0, compound=compound).first()
            vote = _run(
                request,
                lambda: services.vote_create(
                    actor=request.user,
                    compound=compound,
                    title=data["title"],
                    body=data["body"],
                    matter=data["matter"],
                    closes_at=data["closes_at"],
                    building_ids=[b.pk for b in data["buildings"]],
                    entrance_ids=[e.pk for e in data["entrances"]],
                    topic=topic,
                ),
                _("Vote drafted: check the electorate, then open it."),
            )
            if vote:
                return redirect("deliberation:vote-detail", vote_id=vote.pk)
        else:
            _form_errors(request, form)
    return render(
        request,
        "deliberation/vote_create.html",
        {"compound": compound, "form": form, "topic": request.GET.get("topic", "")},
    )


def _thresholds(result: TallyResult) -> list[dict[str, Any]]:
    approve = MAJOR if result.rule == RULE_MAJOR else ORDINARY
    approve_sign = "≥" if result.rule == RULE_MAJOR else ">"

    def row(label: str, value: Any, sign: str, threshold: Any, met: bool) -> dict[str, Any]:
        return {
            "label": label,
            "value": fraction_text(value),
            "percent": f"{float(value) * 100:.2f}",
            "threshold": f"{sign} {fraction_text(threshold)}",
            "met": met,
        }

    return [
        row(_("Participation by area"), result.participation_area, "≥", QUORUM, result.quorum_area_met),
        row(_("Participation by owners"), result.participation_owners, "≥", QUORUM, result.quorum_owners_met),
        row(_("Approval by participating area"), result.approve_area, approve_sign, approve, result.approve_area_met),
        row(
            _("Approval by participating owners"),
            result.approve_owners,
            approve_sign,
            approve,
            result.approve_owners_met,
        ),
    ]


@scoped
def vote_detail(request: HttpRequest, vote_id: int) -> HttpResponse:
    """业主表决: big buttons for the owner on a phone; the result with both thresholds once closed."""
    vote = selectors.vote_get(actor=request.user, vote_id=vote_id)
    user: Any = request.user
    key = services.owner_key_of(user, vote)
    mine = Ballot.objects.filter(vote=vote, owner_key=key).first() if key else None
    may_manage = services.may_manage(user, vote.compound)
    result = services.vote_tally(vote) if vote.status != Vote.Status.DRAFT else None
    context = {
        "vote": vote,
        "key": key,
        "mine": mine,
        "my_dwellings": Elector.objects.filter(vote=vote, owner_key=key).values_list("label", flat=True) if key else [],
        "accepting": services.vote_accepting(vote),
        "choices": Ballot.Choice.choices,
        "may_manage": may_manage,
        "result": result,
        "thresholds": _thresholds(result) if result and vote.status == Vote.Status.CLOSED else [],
        "problems": services.electorate_problems(vote) if may_manage and vote.status == Vote.Status.DRAFT else [],
        "electorate_size": services.electorate_dwellings(vote).count() if vote.status == Vote.Status.DRAFT else None,
        "paper_form": PaperBallotForm(),
        "document_form": VoteDocumentForm(),
        "documents": list(vote.documents.all()),
        "may_download": vote.status == Vote.Status.CLOSED and services.vote_record_allowed(user, vote),
    }
    return render(request, "deliberation/vote_detail.html", context)


@scoped
@require_POST
def vote_ballot(request: HttpRequest, vote_id: int) -> HttpResponse:
    """投票, in two steps: the chosen button leads to a confirmation page that says the ballot is final;
    only its "confirm" stores the ballot. Nothing is stored by the first tap."""
    vote = selectors.vote_get(actor=request.user, vote_id=vote_id)
    user: Any = request.user
    choice = request.POST.get("choice", "")
    labels = dict(Ballot.Choice.choices)
    if choice not in labels:
        messages.error(request, str(services.UNKNOWN_CHOICE))
        return redirect("deliberation:vote-detail", vote_id=vote.pk)
    key = services.owner_key_of(user, vote)
    mine = Ballot.objects.filter(vote=vote, owner_key=key).first() if key else None
    if mine is not None:
        messages.error(
            request,
            _("You have already voted (%(choice)s). A ballot cannot be changed or cast twice.")
            % {"choice": mine.get_choice_display()},
        )
        return redirect("deliberation:vote-detail", vote_id=vote.pk)
    if request.POST.get("confirm") != "yes":
        dwellings = list(Elector.objects.filter(vote=vote, owner_key=key).values_list("label", flat=True)[:50])
        rows = [(_("Vote"), vote.title), (_("Your answer"), labels[choice])]
        if dwellings:
            rows.append((_("For your dwellings"), ", ".join(dwellings)))
        confirm = {
            "action": reverse("deliberation:vote-ballot", args=[vote.pk]),
            "fields": [("choice", choice)],
            "title": _("Confirm your ballot"),
            "rows": rows,
            "warning": _("After you confirm, your ballot is counted and cannot be changed or withdrawn."),
            "button": _("Confirm: I vote “%(choice)s”") % {"choice": labels[choice]},
            "cancel_url": reverse("deliberation:vote-detail", args=[vote.pk]),
        }
        return render(request, "deliberation/vote_confirm.html", {"vote": vote, "confirm": confirm})
    _run(
        request,
        lambda: services.ballot_cast(actor=request.user, vote=vote, choice=choice),
        _("Your ballot is recorded: %(choice)s.") % {"choice": labels[choice]},
    )
    return redirect("deliberation:vote-detail", vote_id=vote.pk)


@scoped
@require_POST
def vote_document_add(request: HttpRequest, vote_id: int) -> HttpResponse:
    """添加表决材料 (staff, while the vote is a draft)."""
    vote = selectors.vote_get(actor=request.user, vote_id=vote_id)
    form = VoteDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        _run(
            request,
            lambda: services.vote_document_add(
                actor=request.user, vote=vote, title=form.cleaned_data["title"], file=form.cleaned_data["file"]
            ),
            _("Document added."),
        )
    else:
        _form_errors(request, form)
    return redirect("deliberation:vote-detail", vote_id=vote.pk)


@scoped
def vote_document(request: HttpRequest, vote_id: int, document_id: int) -> FileResponse:
    """A document of the vote, served only to those who may see the vote."""
    vote = selectors.vote_get(actor=request.user, vote_id=vote_id)
    document = vote.documents.filter(pk=document_id).first()
    if document is None or not document.file:
        raise Http404()
    stored = document.file.name.rsplit("/", 1)[-1]
    extension = stored.rsplit(".", 1)[-1] if "." in stored else "bin"
    name = f"{document.title or 'document'}.{extension}"  # stored names are random (core.uploads)
    return FileResponse(document.file.open("rb"), as_attachment=False, filename=name)


@scoped
@require_POST
def vote_paper(request: HttpRequest, vote_id: int) -> HttpResponse:
    vote = selectors.vote_get(actor=request.user, vote_id=vote_id)
    form = PaperBallotForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        _run(
            request,
            lambda: services.ballot_enter(
                actor=request.user,
                vote=vote,
                dwelling_label=d["dwelling"],
                choice=d["choice"],
                reference=d["reference"],
            ),
            _("Paper ballot entered for %(dwelling)s.") % {"dwelling": d["dwelling"]},
        )
    else:
        _form_errors(request, form)
    return redirect("deliberation:vote-detail", vote_id=vote.pk)


@scoped
@require_POST
def vote_open(request: HttpRequest, vote_id: int) -> HttpResponse:
    vote = selectors.vote_get(actor=request.user, vote_id=vote_id)
    _run(request, lambda: services.vote_open(actor=request.user, vote=vote), _("The vote is open."))
    return redirect("deliberation:vote-detail", vote_id=vote.pk)


@scoped
@require_POST
def vote_close(request: HttpRequest, vote_id: int) -> HttpResponse:
    vote = selectors.vote_get(actor=request.user, vote_id=vote_id)
    _run(request, lambda: services.vote_close(actor=request.user, vote=vote), _("The vote is closed and counted."))
    return redirect("deliberation:vote-detail", vote_id=vote.pk)


@scoped
def vote_record(request: HttpRequest, vote_id: int) -> HttpResponse:
    """The full record (JSON) of a closed vote, for an independent recount."""
    vote = selectors.vote_get(actor=request.user, vote_id=vote_id)
    if vote.status != Vote.Status.CLOSED or not services.vote_record_allowed(request.user, vote):
        raise Http404()
    body = json.dumps(services.vote_record(vote), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vote-{vote.pk}.json"'
    return response


@scoped
def figures_page(request: HttpRequest) -> HttpResponse:
    """看板: topics, votes, turnout, actions for each region the user oversees."""
    user: Any = request.user
    regions = selectors.overseen_regions(actor=user)
    if not regions:
        raise Http404()
    rows = [selectors.figures(actor=user, region=r) | {"name": r.name} for r in regions]
    return render(request, "deliberation/figures.html", {"rows": rows})


WORK_SHOW = ("votes", "actions", "topics")
WORK_CAP = 200


@page_for(permissions.MANAGE)
def work(request: HttpRequest) -> HttpResponse:
    """小区里待办: votes to close and count, overdue follow-up actions, new topics to take up (the workbench's
    to-dos link here, ``?show=`` one list)."""
    user: Any = request.user
    show = request.GET.get("show", "")
    lists = {
        "votes": selectors.votes_to_close(actor=user),
        "actions": selectors.actions_overdue(actor=user),
        "topics": selectors.topics_to_take_up(actor=user),
    }
    shown = [key for key in WORK_SHOW if show in ("", key)] or list(WORK_SHOW)
    context: dict[str, Any] = {key: list(lists[key][:WORK_CAP]) if key in shown else None for key in WORK_SHOW}
    context["show"] = show if show in WORK_SHOW else ""
    context["today"] = timezone.localdate()
    return render(request, "deliberation/work.html", context)


# --- meetings (会议) ---------------------------------------------------------------------------------


@scoped
def meeting_list(request: HttpRequest, compound_id: int) -> HttpResponse:
    """会议列表 of a compound."""
    compound = selectors.compound_get(actor=request.user, compound_id=compound_id)
    user: Any = request.user
    context = {
        "compound": compound,
        "meetings": selectors.meeting_list(actor=request.user, compound=compound)[:200],
        "convener": permissions.is_convener(user, compound),
    }
    return render(request, "deliberation/meeting_list.html", context)


def _meeting_form(request: HttpRequest, compound: Region, initial: dict[str, Any] | None = None) -> MeetingForm:
    form = MeetingForm(request.POST or None, initial=initial)
    topics = Topic.objects.filter(compound=compound).exclude(stage=Topic.Stage.CLOSED).order_by("-created_at")
    form.fields["topic"].widget.choices = [("", "—"), *((t.pk, t.title) for t in topics[:200])]
    return form


def _meeting_fields(form: MeetingForm, compound: Region) -> dict[str, Any]:
    data = form.cleaned_data
    topic = Topic.objects.filter(pk=data["topic"] or 0, compound=compound).first()
    return {
        "title": data["title"],
        "held_at": data["held_at"],
        "agenda": data["agenda"],
        "place": data["place"],
        "topic": topic,
    }


@scoped
def meeting_create(request: HttpRequest, compound_id: int) -> HttpResponse:
    """召开会议 (convener)."""
    compound = selectors.compound_get(actor=request.user, compound_id=compound_id)
    user: Any = request.user
    if not permissions.is_convener(user, compound):
        raise Http404()
    form = _meeting_form(request, compound, {"topic": request.GET.get("topic")})
    if request.method == "POST":
        if form.is_valid():
            fields = _meeting_fields(form, compound)
            meeting = _run(
                request,
                lambda: services.meeting_schedule(
                    actor=request.user,
                    compound=compound,
                    kind=form.cleaned_data["kind"],
                    quorum_basis=form.cleaned_data["quorum_basis"],
                    **fields,
                ),
                _("Meeting scheduled."),
            )
            if meeting:
                return redirect("deliberation:meeting-detail", meeting_id=meeting.pk)
        else:
            _form_errors(request, form)
    return render(request, "deliberation/meeting_form.html", {"compound": compound, "form": form, "meeting": None})


@scoped
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """修改会议 (convener)."""
    meeting = selectors.meeting_get(actor=request.user, meeting_id=meeting_id)
    user: Any = request.user
    if not permissions.is_convener(user, meeting.compound):
        raise Http404()
    initial = {
        "title": meeting.title,
        "kind": meeting.kind,
        "quorum_basis": meeting.quorum_basis,
        "held_at": timezone.localtime(meeting.held_at),
        "place": meeting.place,
        "agenda": meeting.agenda,
        "topic": meeting.topic_id,
    }
    form = _meeting_form(request, meeting.compound, initial)
    form.fields["kind"].disabled = True
    form.fields["quorum_basis"].disabled = True
    if request.method == "POST":
        if form.is_valid():
            fields = _meeting_fields(form, meeting.compound)
            done = _run(
                request,
                lambda: services.meeting_update(actor=request.user, meeting=meeting, **fields),
                _("Meeting updated."),
            )
            if done:
                return redirect("deliberation:meeting-detail", meeting_id=meeting.pk)
        else:
            _form_errors(request, form)
    context = {"compound": meeting.compound, "form": form, "meeting": meeting}
    return render(request, "deliberation/meeting_form.html", context)


@scoped
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """会议: agenda, attendance, minutes, decisions (and a residents' meeting's outcome)."""
    meeting = selectors.meeting_get(actor=request.user, meeting_id=meeting_id)
    user: Any = request.user
    convener = permissions.is_convener(user, meeting.compound)
    record_form = MeetingRecordForm(
        initial={
            "decisions": meeting.decisions,
            "entitled": meeting.entitled,
            "present": meeting.present,
            "agreed": meeting.agreed,
        }
    )
    attendance_form = AttendanceForm()
    parties = list(Party.objects.filter(compound=meeting.compound))
    attendance_form.fields["party"].widget.choices = [("", "—"), *((p.pk, p.name) for p in parties)]
    context = {
        "meeting": meeting,
        "compound": meeting.compound,
        "attendance": selectors.attendance(meeting=meeting),
        "outcome": services.meeting_outcome(meeting),
        "convener": convener,
        "record_form": record_form,
        "attendance_form": attendance_form,
        "residents": meeting.kind == Meeting.Kind.RESIDENTS,
    }
    return render(request, "deliberation/meeting_detail.html", context)


@scoped
@require_POST
def meeting_record(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Record decisions, the minutes file and (residents' meeting) the counts."""
    meeting = selectors.meeting_get(actor=request.user, meeting_id=meeting_id)
    form = MeetingRecordForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        _run(
            request,
            lambda: services.meeting_record(
                actor=request.user,
                meeting=meeting,
                decisions=d["decisions"],
                minutes=d["minutes"],
                entitled=d["entitled"],
                present=d["present"],
                agreed=d["agreed"],
            ),
            _("Meeting record saved."),
        )
    else:
        _form_errors(request, form)
    return redirect("deliberation:meeting-detail", meeting_id=meeting.pk)


@scoped
@require_POST
def attendance_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get(actor=request.user, meeting_id=meeting_id)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        party = Party.objects.filter(pk=form.cleaned_data["party"] or 0, compound=meeting.compound).first()
        _run(
            request,
            lambda: services.meeting_record(
                actor=request.user, meeting=meeting, attendees=[(form.cleaned_data["name"], party)]
            ),
            _("Attendance recorded."),
        )
    else:
        _form_errors(request, form)
    return redirect("deliberation:meeting-detail", meeting_id=meeting.pk)


@scoped
@require_POST
def attendance_remove(request: HttpRequest, meeting_id: int, attendance_id: int) -> HttpResponse:
    """Remove a mistaken attendance entry (convener)."""
    entry = selectors.attendance_get(actor=request.user, meeting_id=meeting_id, attendance_id=attendance_id)
    _run(request, lambda: services.attendance_remove(actor=request.user, attendance=entry), _("Attendee removed."))
    return redirect("deliberation:meeting-detail", meeting_id=meeting_id)


@scoped
def meeting_minutes(request: HttpRequest, meeting_id: int) -> FileResponse:
    """The minutes file, served only to those who may see the meeting."""
    meeting = selectors.meeting_get(actor=request.user, meeting_id=meeting_id)
    if not meeting.minutes:
        raise Http404()
    stored = meeting.minutes.name.rsplit("/", 1)[-1]
    extension = stored.rsplit(".", 1)[-1] if "." in stored else "bin"
    name = f"minutes-{meeting.pk}.{extension}"  # stored names are random (core.uploads); give a readable one
    return FileResponse(meeting.minutes.open("rb"), as_attachment=True, filename=name)


# --- parties and members (四方成员) ----------------------------------------------------------------


@scoped
def party_list(request: HttpRequest, compound_id: int) -> HttpResponse:
    """四方成员: the parties with their members; staff add and remove, the convener delegates."""
    compound = selectors.compound_get(actor=request.user, compound_id=compound_id)
    user: Any = request.user
    context = {
        "compound": compound,
        "parties": selectors.parties(compound=compound),
        "may_manage": services.may_manage(user, compound),
        "convener": permissions.is_convener(user, compound),
        "member_form": PartyMemberForm(),
    }
    return render(request, "deliberation/party_list.html", context)


@scoped
@require_POST
def party_member_add(request: HttpRequest, party_id: int) -> HttpResponse:
    party = selectors.party_get(actor=request.user, party_id=party_id)
    form = PartyMemberForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.party_member_add(
                actor=request.user,
                party=party,
                user=services.user_by_phone(form.cleaned_data["phone"]),
                title=form.cleaned_data["title"],
            ),
            _("Member added."),
        )
    else:
        _form_errors(request, form)
    return redirect("deliberation:party-list", compound_id=party.compound_id)


@scoped
@require_POST
def party_member_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    member = selectors.party_member_get(actor=request.user, member_id=member_id)
    _run(request, lambda: services.party_member_remove(actor=request.user, member=member), _("Member removed."))
    return redirect("deliberation:party-list", compound_id=member.party.compound_id)


@scoped
@require_POST
def convener_delegate(request: HttpRequest, member_id: int) -> HttpResponse:
    member = selectors.party_member_get(actor=request.user, member_id=member_id)
    convener = request.POST.get("convener") == "1"
    _run(
        request,
        lambda: services.convener_delegate(actor=request.user, member=member, convener=convener),
        _("Convener role delegated.") if convener else _("Convener role withdrawn."),
    )
    return redirect("deliberation:party-list", compound_id=member.party.compound_id)
