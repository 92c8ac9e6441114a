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
from jishiyu.deliberation.models import Ballot, Elector, Topic, Vote
from jishiyu.deliberation.tally import BallotEntry, DwellingEntry, TallyResult, tally
from jishiyu.notifications.services import notification_send
from jishiyu.people.models import Ownership, Person
from jishiyu.regions.models import Building, Dwelling, Entrance, Region

DEVELOPER = "developer"
MANAGE = "deliberation.manage"
VIEW = "deliberation.view"

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
        compound=compound, title=title.strip(), matter=matter, closes_at=closes_at, topic=topic, created_by=actor
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
                area=d.exclusive_area,
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


def _notify_owners(vote: Vote, title: Any, body: Any) -> None:
    from django.contrib.auth import get_user_model

    person_ids = Elector.objects.filter(vote=vote, person__isnull=False).values("person_id")
    users = get_user_model().objects.filter(person__in=person_ids, is_active=True)
    when = timezone.localtime(vote.closes_at).strftime("%Y-%m-%d %H:%M")
    for user in users:
        notification_send(
            user=user,
            title=str(title) % {"title": vote.title},
            body=str(body) % {"closes": when},
            url=f"/compounds/votes/{vote.pk}/",
        )


def _accepting(vote: Vote) -> None:
    if vote.status != Vote.Status.OPEN or timezone.now() >= vote.closes_at:
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
    person = Person.objects.filter(user_id=getattr(actor, "pk", None)).first()
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
