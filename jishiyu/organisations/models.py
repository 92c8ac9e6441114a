"""Organisations: departments (12345 handlers), party organisations, social organisations,
foundations, enterprises, property companies, owners' committees, paired agencies, stations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jishiyu.core.pinyin import PinyinNamed


class Organisation(PinyinNamed):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Government department")
        PARTY = "party", _("Party organisation")
        SOCIAL = "social", _("Social organisation")
        FOUNDATION = "foundation", _("Foundation")
        ENTERPRISE = "enterprise", _("Enterprise")
        PROPERTY_COMPANY = "property_company", _("Property company")
        OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
        RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
        PAIRED_AGENCY = "paired_agency", _("Paired agency")
        STATION = "station", _("Social work station")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, help_text=_("统一社会信用代码, 18 characters")
    )
    public_fundraising = models.BooleanField(_("has public-fundraising status"), default=False)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name_pinyin", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~models.Q(credit_code=""), name="organisation_unique_credit_code"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        HEAD = "head", _("Head")
        STAFF = "staff", _("Staff")
        MEMBER = "member", _("Member")
        CONTACT = "contact", _("Contact")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"
