"""Charity (公益行): projects, funding sources, the append-only ledger (台账), needs (需求) and claims
(认领), donations (捐赠) and roadshows (公益路演). Money is always integer fen."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PHOTO_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
ENTRY_IMMUTABLE = _("A ledger entry is never changed or deleted: record a correction instead.")


class FundingSource(models.Model):
    """资金来源: one of five kinds; a foundation or enterprise names its organisation."""

    class Kind(models.TextChoices):
        DISTRICT_FINANCE = "district_finance", _("District finance")
        STREET_MATCHING = "street_matching", _("Street matching funds")
        FOUNDATION = "foundation", _("Foundation")
        ENTERPRISE = "enterprise", _("Enterprise")
        PUBLIC = "public", _("Public donations")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """公益项目: run by a community or a social organisation; money goes to the receiving organisation."""

    class RunnerKind(models.TextChoices):
        COMMUNITY = "community", _("Community")
        SOCIAL_ORGANISATION = "social_organisation", _("Social organisation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", pgettext_lazy("charity project status", "Closed")

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    runner_kind = models.CharField(_("run by"), max_length=20, choices=RunnerKind.choices)
    runner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("running organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("receiving organisation"),
        on_delete=models.PROTECT,
        related_name="charity_projects",
    )
    goal = models.TextField(_("goal"))
    budget_fen = models.BigIntegerField(_("budget (fen)"))
    beneficiaries = models.CharField(_("beneficiaries"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Where a donor pays an offline donation (收款信息): shown after a donation, with a QR code.
    payee_name = models.CharField(
        _("payee account name"), max_length=120, blank=True, help_text=_("The account holder, as on the bank account.")
    )
    payee_bank = models.CharField(_("payee bank"), max_length=120, blank=True)
    payee_account = models.CharField(_("payee account number"), max_length=40, blank=True)
    office_address = models.CharField(
        _("where to pay in person"),
        max_length=200,
        blank=True,
        help_text=_("Address of the office that takes donations."),
    )
    office_hours = models.CharField(_("office hours"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("charity project")
        verbose_name_plural = _("charity projects")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ProgressReport(models.Model):
    """项目进展: a dated report with an optional photo, shown on the public page."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("text"))
    photo = models.FileField(
        _("photo"),
        upload_to="charity/reports/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(PHOTO_EXTENSIONS)],
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-created_at", "-id"]


class LedgerQuerySet(models.QuerySet["LedgerEntry"]):
    """Entries cannot be changed or removed in bulk either."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError(str(ENTRY_IMMUTABLE))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError(str(ENTRY_IMMUTABLE))


class LedgerEntry(models.Model):
    """台账分录: one movement of money; append-only. A correction is a new entry that reverses one."""

    class Kind(models.TextChoices):
        PLEDGED = "pledged", pgettext_lazy("ledger", "Pledged")
        RECEIVED = "received", pgettext_lazy("ledger", "Received")
        ALLOCATED = "allocated", pgettext_lazy("ledger", "Allocated")
        SPENT = "spent", pgettext_lazy("ledger", "Spent")
        REFUNDED = "refunded", pgettext_lazy("ledger", "Refunded")

    class Use(models.TextChoices):
        CHARITABLE = "charitable", _("Charitable activity")
        MANAGEMENT = "management", _("Management costs")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="entries")
    source = models.ForeignKey(
        FundingSource, verbose_name=_("funding source"), on_delete=models.PROTECT, related_name="entries"
    )
    # The receiving organisation at the time of the entry: balances per organisation add up even if
    # a project later changes hands.
    recipient = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("receiving organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # Positive for an ordinary entry, negative only for a correction that reverses an entry.
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    use = models.CharField(_("use"), max_length=12, choices=Use.choices, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    claim = models.ForeignKey(
        "Claim", verbose_name=_("claim"), null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    donation = models.ForeignKey(
        "Donation", verbose_name=_("donation"), null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_fen__gt=0) | models.Q(reverses__isnull=False, amount_fen__lt=0),
                name="ledger_amount_sign",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_fen}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError(str(ENTRY_IMMUTABLE))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError(str(ENTRY_IMMUTABLE))


class Roadshow(models.Model):
    """公益路演: an event where projects and needs are presented and claimed."""

    title = models.CharField(_("title"), max_length=120)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    venue = models.CharField(_("venue"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    projects = models.ManyToManyField(Project, verbose_name=_("projects"), blank=True, related_name="roadshows")

    class Meta:
        verbose_name = _("charity roadshow")
        verbose_name_plural = _("charity roadshows")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title


class Need(models.Model):
    """需求: a small wish (微心愿) claimed whole, or a project need claimed in shares until covered."""

    class Kind(models.TextChoices):
        SMALL_WISH = "small_wish", _("Small wish")
        PROJECT_NEED = "project_need", _("Project need")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("need", "Open")
        COVERED = "covered", _("Covered")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="needs")
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    roadshow = models.ForeignKey(
        Roadshow, verbose_name=_("roadshow"), null=True, blank=True, on_delete=models.SET_NULL, related_name="needs"
    )
    # A person in difficulty (with their consent): only the masked name is ever shown.
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    beneficiary_masked = models.CharField(_("beneficiary"), max_length=40, blank=True)
    shares_total = models.PositiveIntegerField(_("shares"), default=1)
    share_fen = models.BigIntegerField(_("value of a share (fen)"))
    shares_claimed = models.PositiveIntegerField(_("shares claimed"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("posted by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["status", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shares_claimed__lte=models.F("shares_total")), name="need_not_over_claimed"
            ),
            models.CheckConstraint(condition=models.Q(share_fen__gt=0), name="need_share_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def total_fen(self) -> int:
        return self.shares_total * self.share_fen

    @property
    def shares_left(self) -> int:
        return self.shares_total - self.shares_claimed


class Claim(models.Model):
    """认领: a pledge on a need; fulfilled (money received or goods delivered) with a photo."""

    class Via(models.TextChoices):
        CARD = "card", _("Raised a card")
        SCAN = "scan", _("Scanned the code")
        PORTAL = "portal", _("Portal")

    class Status(models.TextChoices):
        PLEDGED = "pledged", pgettext_lazy("ledger", "Pledged")
        FULFILLED = "fulfilled", _("Fulfilled")

    need = models.ForeignKey(Need, verbose_name=_("need"), on_delete=models.PROTECT, related_name="claims")
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("donor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="charity_claims",
    )
    donor_name = models.CharField(_("donor"), max_length=80)
    source = models.ForeignKey(
        FundingSource, verbose_name=_("funding source"), on_delete=models.PROTECT, related_name="+"
    )
    shares = models.PositiveIntegerField(_("shares"))
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    via = models.CharField(_("via"), max_length=8, choices=Via.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLEDGED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    photo = models.FileField(
        _("photo"), upload_to="charity/claims/%Y/%m/", blank=True, validators=[FileExtensionValidator(PHOTO_EXTENSIONS)]
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.donor_name} → {self.need}"


class Donation(models.Model):
    """捐赠: a portal donation to a project; received once the payment provider (or staff) confirms it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting payment")
        CONFIRMED = "confirmed", pgettext_lazy("ledger", "Received")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="donations")
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("donor"), on_delete=models.PROTECT, related_name="charity_donations"
    )
    anonymous = models.BooleanField(_("give anonymously"), default=False)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    provider = models.CharField(_("payment provider"), max_length=40)
    provider_reference = models.CharField(_("payment reference"), max_length=80, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    receipt_number = models.CharField(_("donation receipt number"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="donation_amount_positive")]

    def __str__(self) -> str:
        return f"{self.project} {self.amount_fen}"

    @property
    def acknowledgement_number(self) -> str:
        """感谢函编号: the year the money was received and the donation's number (JSY-2025-000123)."""
        when = timezone.localtime(self.confirmed_at or self.created_at)
        return f"JSY-{when:%Y}-{self.pk:06d}"


class OrganisationRule(models.Model):
    """年度支出与管理费用规则 (慈善法第六十一条; 民政部 财政部 国家税务总局《关于慈善组织开展慈善活动年度支出
    和管理费用的规定》2016): one row per organisation kind, fundraising status and size band (net assets at
    the end of the previous year, from inclusive, below exclusive), with the dates it is in force.
    Ratios are in per mille (700 = 70%)."""

    class Basis(models.TextChoices):
        PREVIOUS_INCOME = "previous_income", _("Previous year's income")
        PREVIOUS_INCOME_OR_AVERAGE = "previous_income_or_average", _("Previous year's income or the three-year average")
        PREVIOUS_NET_ASSETS = "previous_net_assets", _("Previous year's net assets")
        PREVIOUS_NET_ASSETS_OR_AVERAGE = (
            "previous_net_assets_or_average",
            _("Previous year-end net assets or the three-year average"),
        )

    org_kind = models.CharField(_("organisation kind"), max_length=24)
    public_fundraising = models.BooleanField(_("has public-fundraising status"))
    min_net_assets_fen = models.BigIntegerField(_("net assets from (fen)"), default=0)
    max_net_assets_fen = models.BigIntegerField(_("net assets below (fen)"), null=True, blank=True)
    basis = models.CharField(_("spending measured against"), max_length=32, choices=Basis.choices)
    min_spending_permille = models.PositiveIntegerField(_("charitable spending at least (‰)"))
    # 规定第九条第（四）项: the smallest organisations also spend at least half of last year's income.
    min_income_permille = models.PositiveIntegerField(
        _("and at least (‰ of the previous year's income)"), null=True, blank=True
    )
    max_management_permille = models.PositiveIntegerField(_("management costs at most (‰ of spending)"))
    # 规定第十一条: management costs under 200,000 yuan are not held to the ratio (articles 7–9).
    management_exempt_below_fen = models.BigIntegerField(_("management costs not capped below (fen)"), default=0)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    source = models.CharField(_("legal source"), max_length=120)

    class Meta:
        verbose_name = _("organisation rule")
        verbose_name_plural = _("organisation rules")
        ordering = ["org_kind", "-public_fundraising", "-min_net_assets_fen", "effective_from"]

    def __str__(self) -> str:
        return f"{self.org_kind} {self.min_spending_permille}‰/{self.max_management_permille}‰"


class OrganisationYear(models.Model):
    """一个组织一年的年报数字: net assets at year end (the 2016 ratios are measured against it)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveIntegerField(_("year"))
    net_assets_fen = models.BigIntegerField(_("net assets at year end (fen)"))

    class Meta:
        verbose_name = _("organisation year")
        verbose_name_plural = _("organisation years")
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="organisation_year_unique")]
