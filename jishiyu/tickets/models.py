"""Tickets (社区通, 工单): requests from residents, grid workers, the 12345 hotline and Open311, their
handlers, time limits, history and follow-ups.

A ticket always has a queue region (``queue_region``): the resolved place, or the street whose
dispatcher must place it by hand. ``region_path`` copies that region's path so the scope filter and
the staff queues read one indexed column at a million tickets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jishiyu.core.crypto import decrypt_text


def _label(choices: type[models.TextChoices], value: str) -> str:
    """The translated label of a value (the value itself when it is not one of the choices)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class Channel(models.TextChoices):
    PORTAL = "portal", _("Resident portal")
    GRID = "grid", _("Grid report")
    HOTLINE = "hotline", _("12345 hotline")
    OPEN311 = "open311", _("Open311")
    STAFF = "staff", _("Staff entry")


class Kind(models.TextChoices):
    ENQUIRY = "enquiry", _("Enquiry")
    HELP = "help", _("Request for help")
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report of wrongdoing")
    SUGGESTION = "suggestion", _("Suggestion")
    PRAISE = "praise", _("Praise")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class PlaceBasis(models.TextChoices):
    """How a ticket's place was found (定位依据)."""

    CHOSEN = "chosen", _("chosen by hand")
    POINT = "point", _("from the point on the map")
    ADDRESS = "address", _("from the address")
    HOME = "home", _("from the reporter's registered community")
    NONE = "none", _("not placed")


class TimeUnit(models.TextChoices):
    HOURS = "hours", _("hours")
    WORKING_DAYS = "working_days", _("working days")


class Source(models.Model):
    """A system that delivers tickets (the city's 12345 platform, an Open311 client): key and callback."""

    name = models.CharField(_("name"), max_length=100)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.HOTLINE)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    key_hint = models.CharField(_("key hint"), max_length=12, blank=True, editable=False)
    secret_enc = models.TextField(_("callback secret (encrypted)"), blank=True, editable=False)
    callback_url = models.URLField(_("callback URL"), blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("ticket source")
        verbose_name_plural = _("ticket sources")

    def __str__(self) -> str:
        return self.name

    def _secret_plain(self) -> str:
        return decrypt_text(self.secret_enc) if self.secret_enc else ""


def category_label(name: str, name_en: str | None) -> str:
    """A category's name in the active language, from its two names (for rows read with ``values()``)."""
    language = get_language() or ""
    return name_en if name_en and language.startswith("en") else name


class Category(models.Model):
    """A category of the versioned catalogue (事项分类): urban-management components and events,
    social domains and the hotline's demand classes."""

    class Domain(models.TextChoices):
        COMPONENT = "component", _("Urban component")
        EVENT = "event", _("Urban event")
        SOCIAL = "social", _("Social domain")

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    domain = models.CharField(_("domain"), max_length=12, choices=Domain.choices)
    version = models.CharField(_("catalogue version"), max_length=16, default="2025.1")
    active = models.BooleanField(_("active"), default=True)
    keywords = models.CharField(_("keywords"), max_length=255, blank=True)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["domain", "sort", "code"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="category_unique_code_version")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the user's language: the English name on an English page when there is one,
        else the Chinese name (the canonical one, which 12345 and the exports use)."""
        return category_label(self.name, self.name_en)


class Status(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted, awaiting dispatch")
    DISPATCHED = "dispatched", _("Dispatched, awaiting sign-for")
    SIGNED_FOR = "signed_for", _("Signed for")
    HANDLING = "handling", _("Being handled")
    RETURN_REQUESTED = "return_requested", _("Return requested")
    RETURNED = "returned", _("Returned")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    SCREENING_REQUESTED = "screening_requested", _("Screening requested")
    REPLIED = "replied", _("Replied, awaiting review")
    REVIEWED = "reviewed", _("Reply approved, awaiting follow-up")
    FOLLOWED_UP = "followed_up", _("Followed up")
    CLOSED = "closed", pgettext_lazy("ticket status", "Closed")
    SCREENED_OUT = "screened_out", _("Screened out")
    MERGED = "merged", _("Merged into another ticket")
    RECALLED = "recalled", _("Recalled by the source")


OPEN_STATUSES = frozenset(
    {
        Status.ACCEPTED,
        Status.DISPATCHED,
        Status.SIGNED_FOR,
        Status.HANDLING,
        Status.RETURN_REQUESTED,
        Status.RETURNED,
        Status.EXTENSION_REQUESTED,
        Status.SCREENING_REQUESTED,
        Status.REPLIED,
        Status.REVIEWED,
    }
)
FINAL_STATUSES = frozenset({Status.CLOSED, Status.SCREENED_OUT, Status.MERGED, Status.RECALLED})
# The queues' statuses (selectors.ticket_queue), each with a partial index in its own order below.
WAITING_DISPATCH = (Status.ACCEPTED, Status.RETURNED, Status.RETURN_REQUESTED)
WORKING = (Status.DISPATCHED, Status.SIGNED_FOR, Status.HANDLING, Status.EXTENSION_REQUESTED)
TO_REVIEW = (Status.REPLIED, Status.EXTENSION_REQUESTED, Status.SCREENING_REQUESTED)


class Ticket(models.Model):
    """工单: one request, from intake to close."""

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    external_id = models.CharField(_("external id"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField(_("content"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    # The resolved place (grid, compound or community), when known.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where the ticket waits: the resolved place, or the street dispatcher's queue when unresolved.
    queue_region = models.ForeignKey(
        "regions.Region", verbose_name=_("queue region"), on_delete=models.PROTECT, related_name="+"
    )
    region_path = models.CharField(_("region path"), max_length=255, editable=False, db_index=True)
    place_resolved = models.BooleanField(_("place resolved"), default=False)
    # How the place was found (PlaceBasis): a point in no grid falls back to the reporter's community, and
    # the ticket says so. Nullable with no default so that adding it is an ALTER TABLE (SQLite); intake
    # always sets it and the migration fills the older rows.
    place_basis = models.CharField(
        _("placed by"), max_length=8, choices=PlaceBasis.choices, null=True, blank=True, editable=False
    )

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_tickets",
    )
    caller_name = models.CharField(_("caller name"), max_length=50, blank=True)
    caller_phone_enc = models.TextField(_("caller phone (encrypted)"), blank=True, editable=False)
    caller_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    caller_phone_masked = models.CharField(_("caller phone"), max_length=20, blank=True, editable=False)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    confidential = models.BooleanField(_("confidential"), default=False)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)

    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.ACCEPTED)
    # While a request (extension, return, screening) waits, the status to go back to when it is refused.
    held_status = models.CharField(_("status before the request"), max_length=24, choices=Status.choices, blank=True)

    handler_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("handling region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler_org = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("handling department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject_org = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("department complained about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)
    sign_for_due_at = models.DateTimeField(_("sign-for due"), null=True, blank=True)
    signed_for_at = models.DateTimeField(_("signed for"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    deadline_provisional = models.BooleanField(_("deadline provisional"), default=False)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reply reviewed"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("ticket", "closed"), null=True, blank=True)
    warned_at = models.DateTimeField(_("expiry warning sent"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    supervised = models.BooleanField(_("under supervision"), default=False)
    urge_count = models.PositiveSmallIntegerField(_("urgings"), default=0)
    redo_count = models.PositiveSmallIntegerField(_("redone"), default=0)

    reply = models.TextField(_("reply"), blank=True)
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("duplicate of"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suspected_duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("suspected duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suggested_handler = models.JSONField(_("suggested handler"), null=True, blank=True)
    # The content's matter as jieba words (duplicates.words), segmented once: by the intake analysis,
    # or the first time an older ticket is a duplicate candidate. A duplicate check only reads these.
    # Nullable so that adding it to a table of millions is an ALTER TABLE, not a copy (SQLite).
    words = models.TextField(_("words of the content"), null=True, blank=True, editable=False)
    # When the intake analysis (suggestion, duplicate check) ran; null while it waits.
    analysed_at = models.DateTimeField(_("analysed"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["status", "region_path", "due_at"], name="ticket_status_path_due_idx"),
            # the queues ordered by receipt, reply or review (to dispatch, all open, to review, to follow
            # up): a page's ids and a count without reading the table
            models.Index(
                fields=["status", "region_path", "received_at", "replied_at", "reviewed_at"],
                name="ticket_status_path_recv_idx",
            ),
            models.Index(fields=["region_path", "received_at"], name="ticket_path_received_idx"),
            # the deadline checks, and the queues by due time (due soon, overdue) with their scope
            models.Index(fields=["status", "due_at", "region_path"], name="ticket_status_due_path_idx"),
            models.Index(fields=["status", "sign_for_due_at"], name="ticket_status_signdue_idx"),
            models.Index(fields=["handler_org", "status"], name="ticket_org_status_idx"),
            models.Index(fields=["reporter", "received_at"], name="ticket_reporter_idx"),
            models.Index(fields=["received_at"], name="ticket_received_idx"),
            models.Index(fields=["updated_at"], name="ticket_updated_idx"),
            # duplicate candidates: the same place, open, recent
            models.Index(fields=["region", "status", "received_at"], name="ticket_region_status_recv_idx"),
            # The queues a dispatcher and a reviewer open, each in its own order and small (only the tickets
            # waiting there): the page's 50 ids without walking a year of tickets by received_at
            # (bench/city.py, docs/decisions/0009-city-scale.md).
            models.Index(
                fields=["received_at"],
                include=["region_path"],
                condition=models.Q(status__in=WAITING_DISPATCH),
                name="ticket_waiting_recv_idx",
            ),
            models.Index(
                fields=["due_at"],
                include=["region_path"],
                condition=models.Q(status__in=WORKING),
                name="ticket_working_due_idx",
            ),
            models.Index(
                fields=["replied_at", "received_at"],
                include=["region_path"],
                condition=models.Q(status__in=TO_REVIEW),
                name="ticket_to_review_idx",
            ),
            # the three rates count the tickets dispatched in a period
            models.Index(fields=["dispatched_at"], name="ticket_dispatched_idx"),
            # the analysis sweep: tickets waiting for dispatch that no task analysed (a small index)
            models.Index(
                fields=["updated_at"],
                name="ticket_unanalysed_idx",
                condition=models.Q(analysed_at__isnull=True, status="accepted"),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    # The labels of the choices, read from the enums: Django's own get_FOO_display() rebuilds a dict of
    # every (lazily translated) choice on each call, a quarter of a 50-row queue page's time.
    def get_status_display(self) -> str:  # type: ignore[no-redef]
        return _label(Status, self.status)

    def get_kind_display(self) -> str:  # type: ignore[no-redef]
        return _label(Kind, self.kind)

    def get_urgency_display(self) -> str:  # type: ignore[no-redef]
        return _label(Urgency, self.urgency)

    def get_channel_display(self) -> str:  # type: ignore[no-redef]
        return _label(Channel, self.channel)

    def get_place_basis_display(self) -> str:  # type: ignore[no-redef]
        return _label(PlaceBasis, self.place_basis or PlaceBasis.NONE)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def _caller_phone_plain(self) -> str:
        return decrypt_text(self.caller_phone_enc) if self.caller_phone_enc else ""


class TicketExternalId(models.Model):
    """Idempotency of intake: one ticket per (source, external id), whatever the ticket table's partitioning."""

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField(_("external id"), max_length=64)
    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="external_ids")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("external ticket id")
        verbose_name_plural = _("external ticket ids")
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="ticket_external_id_unique")]


class TicketPhoto(models.Model):
    class Stage(models.TextChoices):
        REPORT = "report", _("With the report")
        REPLY = "reply", _("With the reply")

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("photo"), upload_to="tickets/%Y/%m/")
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices, default=Stage.REPORT)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("ticket photo")
        verbose_name_plural = _("ticket photos")


class TicketEvent(models.Model):
    """One step of a ticket's history (append-only)."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(_("from"), max_length=24, blank=True)
    to_status = models.CharField(_("to"), max_length=24, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["ticket", "at"], name="ticketevent_ticket_at_idx")]

    # Its save() only refuses updates: intake may insert new events through jishiyu.core.rows.
    compiled_insert_ok = True

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Ticket events are append-only.")
        super().save(*args, **kwargs)


class FollowUp(models.Model):
    """回访: did it get solved, is the person satisfied."""

    class Solved(models.TextChoices):
        YES = "yes", _("Solved")
        PARTLY = "partly", _("Partly solved")
        NO = "no", _("Not solved")

    class Satisfied(models.TextChoices):
        YES = "yes", _("Satisfied")
        BASICALLY = "basically", _("Basically satisfied")
        NO = "no", _("Not satisfied")

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="follow_ups")
    solved = models.CharField(_("solved"), max_length=8, choices=Solved.choices)
    satisfied = models.CharField(_("satisfied"), max_length=10, choices=Satisfied.choices)
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_source = models.ForeignKey(
        Source, verbose_name=_("from source"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["answered_at"], name="followup_answered_idx")]


class TimeLimitPolicy(models.Model):
    """办理时限: the time limits for tickets matching source, kind, urgency and category (blank = any)."""

    name = models.CharField(_("name"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, blank=True)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    amount = models.PositiveIntegerField(_("time to close"))
    unit = models.CharField(_("unit"), max_length=12, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS)
    sign_for_amount = models.PositiveIntegerField(_("time to sign for"), default=2)
    sign_for_unit = models.CharField(
        _("sign-for unit"), max_length=12, choices=TimeUnit.choices, default=TimeUnit.HOURS
    )
    return_window_hours = models.PositiveIntegerField(_("return window after sign-for (hours)"), default=24)
    warn_before_hours = models.PositiveIntegerField(_("warn before expiry (hours)"), default=24)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)

    class Meta:
        verbose_name = _("time-limit policy")
        verbose_name_plural = _("time-limit policies")

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"


class Holiday(models.Model):
    """A day off or a make-up workday, for years the calendar package does not cover yet (staff-editable)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("is a workday"), default=False)
    note = models.CharField(_("note"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.note}"


class RoutingRule(models.Model):
    """派单规则: category × place → handling region or department (used by routing)."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("place"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    handler_level = models.CharField(_("handler level"), max_length=16, blank=True)
    handler_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("handling region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    handler_org = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("handling department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    priority = models.IntegerField(_("priority"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["-priority", "pk"]


class CallbackDelivery(models.Model):
    """A callback to a source (签收/退单/延期/回复/办结), retried with backoff until delivered."""

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="callbacks")
    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="callbacks")
    event = models.CharField(_("event"), max_length=24)
    payload = models.JSONField(_("payload"), default=dict)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("callback delivery")
        verbose_name_plural = _("callback deliveries")
        indexes = [models.Index(fields=["delivered_at", "next_attempt_at"], name="callback_due_idx")]


class ImportBatch(models.Model):
    """A batch import of the hotline's spreadsheet export; ``rows_done`` lets a retry resume."""

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    file_hash = models.CharField(_("file hash"), max_length=64, db_index=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    created = models.PositiveIntegerField(_("tickets created"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")


class SuggestionModel(models.Model):
    """A trained handler-suggestion model (jieba + scikit-learn) and its held-out accuracy."""

    trained_at = models.DateTimeField(_("trained"), default=timezone.now)
    samples = models.PositiveIntegerField(_("samples"), default=0)
    accuracy = models.FloatField(_("held-out accuracy"), null=True, blank=True)
    blob = models.BinaryField(_("model"), editable=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("suggestion model")
        verbose_name_plural = _("suggestion models")
