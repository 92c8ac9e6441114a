"""Residents (居民), households (户), where they live and what they own, tags for people in
difficulty, consents and data-subject requests (个人信息保护法).

Sensitive values are never stored in the clear: the document number and the phone are encrypted
(``*_enc``), looked up by keyed hash (``*_hash``) and shown masked (``*_masked``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jishiyu.core.crypto import decrypt_text
from jishiyu.core.masking import mask_birth_date
from jishiyu.core.pinyin import PinyinNamed

# The relation to the head of household that marks the head themself (户主), as a 户口簿 writes it.
HEAD_OF_HOUSEHOLD = "户主"


class Household(models.Model):
    """户: people registered together at a dwelling."""

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    dwelling = models.ForeignKey(
        "regions.Dwelling",
        verbose_name=_("dwelling"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="households",
    )
    number = models.CharField(_("household number"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~models.Q(number=""), name="household_unique_number")
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class Person(PinyinNamed):
    class DocumentType(models.TextChoices):
        MAINLAND_ID = "mainland_id", _("Mainland resident identity card")
        HK_MACAU_PERMIT = "hk_macau_permit", _("Residence permit for Hong Kong and Macao residents")
        TAIWAN_PERMIT = "taiwan_permit", _("Residence permit for Taiwan residents")
        PASSPORT = "passport", _("Passport")

    class Gender(models.TextChoices):
        MALE = "m", _("Male")
        FEMALE = "f", _("Female")
        UNKNOWN = "", _("Unknown")

    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    document_type = models.CharField(
        _("document type"), max_length=20, choices=DocumentType.choices, default=DocumentType.MAINLAND_ID
    )
    document_enc = models.TextField(_("document number (encrypted)"), blank=True, editable=False)
    document_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    document_masked = models.CharField(_("document number"), max_length=32, blank=True, editable=False)
    phone_enc = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, verbose_name=_("household"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    relation_to_head = models.CharField(_("relation to head of household"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    verified_at = models.DateTimeField(_("verified as resident"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["region", "name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "document_hash"],
                condition=~models.Q(document_hash=""),
                name="person_unique_document",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def birth_date_masked(self) -> str:
        """1962-**-**: shown wherever the id number is masked (the full date is in the id); the full date
        only through the audited reveal (services.person_reveal, field "birth_date")."""
        return mask_birth_date(self.birth_date)

    # Plain values only through these, and only after a permission check and an audit record
    # (jishiyu.people.services.person_reveal).
    def _document_plain(self) -> str:
        return decrypt_text(self.document_enc)

    def _phone_plain(self) -> str:
        return decrypt_text(self.phone_enc)


class Residence(models.Model):
    """A person lives in a dwelling (居住)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="residences")
    dwelling = models.ForeignKey(
        "regions.Dwelling", verbose_name=_("dwelling"), on_delete=models.CASCADE, related_name="residences"
    )
    since = models.DateField(_("since"), null=True, blank=True)
    primary = models.BooleanField(_("primary residence"), default=True)

    class Meta:
        verbose_name = _("residence")
        verbose_name_plural = _("residences")
        constraints = [models.UniqueConstraint(fields=["person", "dwelling"], name="residence_unique")]


class Ownership(models.Model):
    """A person owns (a share of) a dwelling. Co-owners name one representative, who votes."""

    person = models.ForeignKey(Person, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="ownerships")
    dwelling = models.ForeignKey(
        "regions.Dwelling", verbose_name=_("dwelling"), on_delete=models.CASCADE, related_name="ownerships"
    )
    share = models.DecimalField(_("share"), max_digits=5, decimal_places=4, default=1)
    representative = models.BooleanField(_("representative of the co-owners"), default=True)
    verified_at = models.DateTimeField(_("verified as owner"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ownership")
        verbose_name_plural = _("ownerships")
        constraints = [
            models.UniqueConstraint(fields=["person", "dwelling"], name="ownership_unique"),
            models.UniqueConstraint(
                fields=["dwelling"], condition=models.Q(representative=True), name="ownership_one_representative"
            ),
        ]


class Tag(models.TextChoices):
    """Tags for people in difficulty (特殊困难群体)."""

    ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")
    EMPTY_NEST = "empty_nest", _("Empty-nest elderly")
    ADVANCED_AGE = "advanced_age", _("Aged 80 or over")
    LEFT_BEHIND_ELDERLY = "left_behind_elderly", _("Left-behind elderly")
    DISABLED = "disabled", pgettext_lazy("person tag", "Disabled")
    DEPENDENT = "dependent", _("Unable to care for themselves")
    DEMENTIA = "dementia", _("Dementia")
    SUBSISTENCE = "subsistence", _("Subsistence allowance (低保)")
    NEAR_SUBSISTENCE = "near_subsistence", _("Near subsistence (低边)")
    EXTREME_POVERTY = "extreme_poverty", _("Extreme poverty support (特困)")
    SPECIAL_FAMILY = "special_family", _("Special family-planning family")
    LEFT_BEHIND_CHILD = "left_behind_child", _("Left-behind child")
    CHILD_IN_DIFFICULTY = "child_in_difficulty", _("Child in difficulty")
    ORPHAN = "orphan", _("Orphan")


class PersonTag(models.Model):
    class DisabilityKind(models.TextChoices):
        """GB/T 26341-2010."""

        VISUAL = "visual", _("Visual")
        HEARING = "hearing", _("Hearing")
        SPEECH = "speech", _("Speech")
        PHYSICAL = "physical", _("Physical")
        INTELLECTUAL = "intellectual", _("Intellectual")
        MENTAL = "mental", _("Mental")
        MULTIPLE = "multiple", _("Multiple")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(_("tag"), max_length=24, choices=Tag.choices)
    disability_kind = models.CharField(_("disability kind"), max_length=16, choices=DisabilityKind.choices, blank=True)
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"), null=True, blank=True, help_text=_("1 (most severe) to 4")
    )
    since = models.DateField(_("since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.UniqueConstraint(fields=["person", "tag"], name="persontag_unique"),
            models.CheckConstraint(
                condition=models.Q(disability_grade__isnull=True)
                | models.Q(disability_grade__gte=1, disability_grade__lte=4),
                name="persontag_grade_1_to_4",
            ),
        ]


class Consent(models.Model):
    """A resident's consent to an optional use of their data (e.g. posting a need publicly)."""

    class Purpose(models.TextChoices):
        PUBLIC_NEED = "public_need", _("Post my needs publicly (name masked)")
        VOLUNTEER_CONTACT = "volunteer_contact", _("Let volunteers contact me")
        NOTIFICATIONS_SMS = "notifications_sms", _("Receive notifications by SMS")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=24, choices=Purpose.choices)
    granted = models.BooleanField(_("granted"), default=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [models.UniqueConstraint(fields=["person", "purpose"], name="consent_unique")]


class DataRequest(models.Model):
    """A resident asks to correct or delete what is held about them; staff handle it."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        DELETION = "deletion", _("Deletion")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="data_requests")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    detail = models.TextField(_("what to change"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        ordering = ["-created_at"]
