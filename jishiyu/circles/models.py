"""Models of the circles app (幸福圈): catalogue, facilities, walking networks, coverage runs and results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Localised(models.Model):
    """A catalogue row with a Chinese and an English name (中英文名称)."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        lang = get_language() or "zh-hans"
        return self.name_en if lang.startswith("en") and self.name_en else self.name


class Circle(Localised):
    """A life circle (生活圈): 5-minute commerce, 10-minute culture and sports, 15-minute health."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    minutes = models.PositiveSmallIntegerField(_("walking minutes"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    catalogue_version = models.CharField(_("catalogue version"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("life circle")
        verbose_name_plural = _("life circles")
        ordering = ["order", "code"]


class Category(Localised):
    """A facility category of the catalogue (设施类别), in one circle."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    circle = models.ForeignKey(Circle, verbose_name=_("circle"), on_delete=models.PROTECT, related_name="categories")
    basis = models.CharField(_("basis"), max_length=200, blank=True, help_text=_("standard or source"))
    active = models.BooleanField(_("active"), default=True)
    catalogue_version = models.CharField(_("catalogue version"), max_length=20, blank=True)
    osm_tags = models.TextField(
        _("OpenStreetMap tags"), blank=True, help_text=_("one key=value per line, e.g. shop=convenience")
    )

    class Meta:
        verbose_name = _("facility category")
        verbose_name_plural = _("facility categories")
        ordering = ["circle__order", "code"]


class Facility(models.Model):
    """A facility on the map (设施点): a shop, a clinic, a sports ground."""

    class Source(models.TextChoices):
        STAFF = "staff", _("staff entry")
        FILE = "file", _("spreadsheet import")
        OSM = "osm", _("OpenStreetMap")
        DEMO = "demo", _("demo data")

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="facilities"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.STAFF)
    external_id = models.CharField(_("external id"), max_length=64, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # Set when a newer OpenStreetMap extract no longer holds the feature (the import switched it off); a
    # facility staff switched off themselves has none, so an import never switches it back on.
    retired_at = models.DateTimeField(_("gone from the source"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["category__circle__order", "category__code", "name"]

    def __str__(self) -> str:
        return self.name


class Network(models.Model):
    """A walking network (步行网络) covering a region, stored as compressed arrays."""

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=200, blank=True)
    nodes = models.PositiveIntegerField(_("nodes"), default=0)
    edges = models.PositiveIntegerField(_("edges"), default=0)
    data = models.BinaryField(_("data"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("walking network")
        verbose_name_plural = _("walking networks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class CoverageRun(models.Model):
    """One computation of coverage for a region (覆盖计算), done in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    network = models.ForeignKey(Network, verbose_name=_("network"), null=True, on_delete=models.SET_NULL)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.TextField(_("message"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("coverage run")
        verbose_name_plural = _("coverage runs")
        ordering = ["-created_at", "-pk"]


class BuildingCoverage(models.Model):
    """Walking distance from a residential building to the nearest facility of a category (楼栋覆盖)."""

    run = models.ForeignKey(CoverageRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="results")
    building = models.ForeignKey(
        "regions.Building", verbose_name=_("building"), on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="+")
    people = models.PositiveIntegerField(_("residents"))
    metres = models.FloatField(_("metres"), null=True, help_text=_("empty: beyond the largest circle or no path"))
    covered = models.BooleanField(_("covered"))

    class Meta:
        verbose_name = _("building coverage")
        verbose_name_plural = _("building coverage")
        constraints = [models.UniqueConstraint(fields=["run", "building", "category"], name="circles_coverage_unique")]
