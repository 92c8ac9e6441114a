"""小区里: the four-party table of each compound (四方平台), topics, meetings, owners' votes
(业主共同决定, Civil Code art. 278) and the actions that carry resolutions out.

Every record hangs on a compound (a Region of kind "compound"); its path is the scope path, so
community staff see the compounds of their community and nothing else.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MATTER_CHOICES = [
    (1, _("1. Rules of procedure of the owners' assembly")),
    (2, _("2. Management statute")),
    (3, _("3. Electing or replacing the owners' committee")),
    (4, _("4. Hiring or dismissing the property company or other manager")),
    (5, _("5. Using the maintenance funds")),
    (6, _("6. Raising the maintenance funds")),
    (7, _("7. Altering or rebuilding the buildings and their facilities")),
    (8, _("8. Changing the use of common parts or running a business on them")),
    (9, _("9. Other major matters of common ownership and management")),
]


# The citation residents read instead of a bare item number (第二百七十八条第一款第N项).
MATTER_CITATIONS = {
    1: _("Civil Code, art. 278, para. 1, item 1"),
    2: _("Civil Code, art. 278, para. 1, item 2"),
    3: _("Civil Code, art. 278, para. 1, item 3"),
    4: _("Civil Code, art. 278, para. 1, item 4"),
    5: _("Civil Code, art. 278, para. 1, item 5"),
    6: _("Civil Code, art. 278, para. 1, item 6"),
    7: _("Civil Code, art. 278, para. 1, item 7"),
    8: _("Civil Code, art. 278, para. 1, item 8"),
    9: _("Civil Code, art. 278, para. 1, item 9"),
}


class Party(models.Model):
    """One of the four parties at a compound's table (四方): party organisation, residents'
    committee, property company, owners' committee."""

    class Kind(models.TextChoices):
        PARTY = "party", _("Community party organisation")
        RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
        PROPERTY_COMPANY = "property_company", _("Property company")
        OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")

    compound = models.ForeignKey(
        "regions.Region", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["compound", "kind"]
        constraints = [models.UniqueConstraint(fields=["compound", "kind"], name="party_one_per_kind")]

    def __str__(self) -> str:
        return self.name


class PartyMember(models.Model):
    """A person sitting at the table for a party (成员)."""

    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=60, blank=True)
    convener = models.BooleanField(
        _("convener"), default=False, help_text=_("Delegated by the community secretary to convene.")
    )

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        constraints = [models.UniqueConstraint(fields=["party", "user"], name="party_member_unique")]


class Notice(models.Model):
    """A notice of the compound (公告)."""

    compound = models.ForeignKey(
        "regions.Region", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_at"]


class Topic(models.Model):
    """A matter raised for the table (议题), moved through its stages by the convener."""

    class Stage(models.TextChoices):
        COLLECT = "collect", _("Collecting")
        DISCUSS = "discuss", _("Discussion")
        MEETING = "meeting", _("Meeting")
        VOTE = "vote", _("Owners' vote")
        RESOLUTION = "resolution", _("Resolution adopted")
        IMPLEMENTATION = "implementation", _("Implementation")
        REVIEW = "review", _("Review")
        CLOSED = "closed", _("Closed")

    compound = models.ForeignKey(
        "regions.Region", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("description"), blank=True)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    party = models.ForeignKey(
        Party, verbose_name=_("proposing party"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.COLLECT)
    resolution = models.TextField(_("resolution text"), blank=True)
    created_at = models.DateTimeField(_("raised"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["compound", "stage"])]

    def __str__(self) -> str:
        return self.title


class TopicStep(models.Model):
    """One move of a topic between stages (流转记录)."""

    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="steps")
    from_stage = models.CharField(_("from"), max_length=16, choices=Topic.Stage.choices)
    to_stage = models.CharField(_("to"), max_length=16, choices=Topic.Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("topic step")
        verbose_name_plural = _("topic steps")
        ordering = ["at", "pk"]


class Comment(models.Model):
    """A comment on a topic (评论), moderated by the convener."""

    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Hidden by moderation")

    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.VISIBLE)
    moderation_reason = models.CharField(_("moderation reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]


class Meeting(models.Model):
    """A meeting (会议): the four parties' table or a residents' meeting (居民会议)."""

    class Kind(models.TextChoices):
        FOUR_PARTY = "four_party", _("Four-party meeting")
        RESIDENTS = "residents", _("Residents' meeting")

    compound = models.ForeignKey(
        "regions.Region", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )

    class QuorumBasis(models.TextChoices):
        PEOPLE = "people", _("Those entitled to attend")
        HOUSEHOLDS = "households", _("Household representatives")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.FOUR_PARTY)
    quorum_basis = models.CharField(
        _("quorum counted by"),
        max_length=12,
        choices=QuorumBasis.choices,
        default=QuorumBasis.PEOPLE,
        help_text=_("Village communities may count the household representatives (villagers' committee law)."),
    )
    title = models.CharField(_("title"), max_length=120)
    agenda = models.TextField(_("agenda"), blank=True)
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    minutes = models.FileField(_("minutes"), upload_to="deliberation/minutes/%Y/%m/", blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    entitled = models.PositiveIntegerField(_("entitled to attend"), null=True, blank=True)
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    agreed = models.PositiveIntegerField(_("agreed"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_at"]


class Attendance(models.Model):
    """Who attended a meeting, for which party (出席)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=50)
    party = models.ForeignKey(
        Party, verbose_name=_("party"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")


class MeetingRule(models.Model):
    """The quorum and majority of a residents' meeting by community kind (会议规则表), editable by staff.

    Shares are fractions written "n/d"; "strict" means "more than", otherwise "at least". A meeting counted by
    household representatives uses the row "<community kind>:households" (e.g. "village:households")."""

    community_kind = models.CharField(_("community kind"), max_length=20, unique=True)
    law = models.CharField(_("law"), max_length=120)
    attend_share = models.CharField(_("attendance share"), max_length=12, default="1/2")
    attend_strict = models.BooleanField(_("attendance: more than"), default=True)
    agree_share = models.CharField(_("agreement share of those present"), max_length=12, default="1/2")
    agree_strict = models.BooleanField(_("agreement: more than"), default=True)

    class Meta:
        verbose_name = _("meeting rule")
        verbose_name_plural = _("meeting rules")

    def clean(self) -> None:
        from fractions import Fraction

        from django.core.exceptions import ValidationError

        errors = {}
        for name in ("attend_share", "agree_share"):
            try:
                share = Fraction(str(getattr(self, name)))
            except (ValueError, ZeroDivisionError):
                share = Fraction(-1)
            if not 0 < share < 1:
                errors[name] = _("Write a fraction between 0 and 1, such as 1/2 or 2/3.")
        if errors:
            raise ValidationError(errors)


class Vote(models.Model):
    """An owners' vote (业主共同决定) over a chosen set of dwellings."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for voting")
        CLOSED = "closed", _("Closed")

    compound = models.ForeignKey(
        "regions.Region", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), null=True, blank=True, on_delete=models.SET_NULL, related_name="votes"
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(
        _("the proposal"),
        blank=True,
        help_text=_(
            "What the owners decide, in plain words: what will be done, by whom, at what cost, paid from where."
        ),
    )
    matter = models.PositiveSmallIntegerField(_("matter (art. 278 item)"), choices=MATTER_CHOICES)
    buildings = models.ManyToManyField("regions.Building", verbose_name=_("buildings"), blank=True, related_name="+")
    entrances = models.ManyToManyField("regions.Entrance", verbose_name=_("entrances"), blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("owners' vote")
        verbose_name_plural = _("owners' votes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def matter_name(self) -> str:
        """The matter in words, without the item number the staff list shows ("7. 改建…" → "改建…")."""
        return re.sub(r"^\s*\d+\.\s*", "", str(self.get_matter_display()))

    @property
    def matter_citation(self) -> str:
        """《民法典》第二百七十八条第一款第N项."""
        return str(MATTER_CITATIONS.get(self.matter, ""))

    @property
    def major_matter(self) -> bool:
        """Items 6–8 need three quarters of the participants to approve (art. 278, para. 2)."""
        return self.matter in (6, 7, 8)


def vote_document_path(instance: VoteDocument, filename: str) -> str:
    return f"deliberation/votes/{instance.vote_id}/{filename}"


class VoteDocument(models.Model):
    """A document owners read before they vote (表决材料): the plan, the quotes, the drawings."""

    vote = models.ForeignKey(Vote, verbose_name=_("vote"), on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=120)
    file = models.FileField(_("file"), upload_to=vote_document_path)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote document")
        verbose_name_plural = _("vote documents")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Elector(models.Model):
    """One dwelling of a vote's electorate, frozen when the vote opens (表决范围): its area and whose vote it is.

    ``owner_key`` is "p<person id>" for the owner (the co-owners' representative) or "developer" for the
    developer's unsold or undelivered dwellings, so they count as one owner."""

    vote = models.ForeignKey(Vote, verbose_name=_("vote"), on_delete=models.CASCADE, related_name="electors")
    dwelling = models.ForeignKey(
        "regions.Dwelling", verbose_name=_("dwelling"), on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(_("dwelling"), max_length=40)
    area = models.DecimalField(_("exclusive area (m²)"), max_digits=9, decimal_places=2)
    owner_key = models.CharField(_("owner"), max_length=20)
    person = models.ForeignKey(
        "people.Person", verbose_name=_("owner"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("elector dwelling")
        verbose_name_plural = _("elector dwellings")
        constraints = [models.UniqueConstraint(fields=["vote", "dwelling"], name="elector_unique_dwelling")]
        indexes = [models.Index(fields=["vote", "owner_key"])]


class Ballot(models.Model):
    """One owner's ballot (表决票), covering every dwelling that owner holds in the electorate."""

    class Choice(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        ABSTAIN = "abstain", _("Abstain")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper ballot")

    vote = models.ForeignKey(Vote, verbose_name=_("vote"), on_delete=models.CASCADE, related_name="ballots")
    owner_key = models.CharField(_("owner"), max_length=20)
    person = models.ForeignKey(
        "people.Person", verbose_name=_("owner"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("choice"), max_length=8, choices=Choice.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reference = models.CharField(_("paper ballot number"), max_length=40, blank=True)
    cast_at = models.DateTimeField(_("cast"), auto_now_add=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [models.UniqueConstraint(fields=["vote", "owner_key"], name="ballot_one_per_owner")]


class Action(models.Model):
    """A resolution carried out (落实事项): public on the compound's accountability page."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Completed")

    compound = models.ForeignKey(
        "regions.Region", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=120)
    responsible = models.ForeignKey(
        Party, verbose_name=_("responsible party"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="action_progress_at_most_100")
        ]


class ActionUpdate(models.Model):
    """A progress report on an action (进展)."""

    action = models.ForeignKey(
        Action, verbose_name=_("follow-up action"), on_delete=models.CASCADE, related_name="updates"
    )
    text = models.CharField(_("text"), max_length=500)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("action update")
        verbose_name_plural = _("action updates")
        ordering = ["-at", "-pk"]
