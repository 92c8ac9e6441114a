"""The region tree (区 → 街道/园区 → 社区/村 → 网格 | 小区) and the addresses under it
(楼栋 → 单元 → 户). Grids and compounds are two separate groupings of buildings under a community:
a building belongs to one community, at most one grid and at most one compound, and a compound can
span several grids."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jishiyu.core.pinyin import PinyinNamed


class Region(PinyinNamed):
    """A node of the region tree. ``path`` is the materialised path of ids ("/1/7/42/")."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District")
        STREET = "street", _("Street")
        PARK = "park", _("Park")
        COMMUNITY = "community", _("Community")
        GRID = "grid", _("Grid")
        COMPOUND = "compound", _("Compound")

    class CommunityKind(models.TextChoices):
        VILLAGE = "village", _("Village")
        COMMERCIAL = "commercial", _("Commercial housing")
        LEGACY_INDUSTRIAL = "legacy_industrial", _("Legacy industrial")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    community_kind = models.CharField(_("community kind"), max_length=20, choices=CommunityKind.choices, blank=True)
    # WGS-84. ``lon``/``lat`` is a representative point (for a polygon, its centroid);
    # ``geometry`` is GeoJSON (Point or Polygon) when known.
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    geometry = models.JSONField(_("geometry"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def division_code(self) -> str:
        """The NBS 12-digit code, when the region has one."""
        for code in self.codes.all():
            if code.system == RegionCode.System.NBS:
                return code.code
        return ""

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class RegionCode(models.Model):
    """An official code of a region in one code system (NBS 统计用区划代码, civil affairs, police,
    local grid code CJ/T 349): the same place carries different codes in different systems."""

    class System(models.TextChoices):
        NBS = "nbs", _("NBS statistical division code")
        CIVIL_AFFAIRS = "civil", _("Civil affairs code")
        POLICE = "police", _("Public security code")
        GRID = "grid", _("Grid code (CJ/T 349)")
        LOCAL = "local", _("Local code")

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="codes")
    system = models.CharField(_("code system"), max_length=16, choices=System.choices, default=System.NBS)
    code = models.CharField(_("code"), max_length=32)
    release = models.CharField(_("release"), max_length=16, blank=True, help_text=_("e.g. 2023"))

    class Meta:
        verbose_name = _("region code")
        verbose_name_plural = _("region codes")
        constraints = [models.UniqueConstraint(fields=["system", "code"], name="regioncode_unique_per_system")]

    def __str__(self) -> str:
        return f"{self.get_system_display()} {self.code}"


class Building(models.Model):
    """楼栋. ``region`` is the deepest administrative node it sits in (its grid, else its community),
    denormalised for scope filters."""

    community = models.ForeignKey(
        Region, verbose_name=_("community"), on_delete=models.PROTECT, related_name="community_buildings"
    )
    grid = models.ForeignKey(
        Region, verbose_name=_("grid"), null=True, blank=True, on_delete=models.PROTECT, related_name="grid_buildings"
    )
    compound = models.ForeignKey(
        Region,
        verbose_name=_("compound"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="compound_buildings",
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("building number"), max_length=20)
    name = models.CharField(_("name"), max_length=100, blank=True)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints = [
            models.UniqueConstraint(fields=["community", "compound", "number"], name="building_unique_number")
        ]

    def __str__(self) -> str:
        place = self.compound.name if self.compound_id and self.compound else self.community.name
        return f"{place}{self.number}栋"


class Entrance(models.Model):
    """单元."""

    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.CASCADE, related_name="entrances"
    )
    number = models.CharField(_("entrance number"), max_length=20)

    class Meta:
        verbose_name = _("entrance")
        verbose_name_plural = _("entrances")
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="entrance_unique_number")]

    def __str__(self) -> str:
        return f"{self.building}{self.number}单元"


class Dwelling(models.Model):
    """户. Exclusive area (专有部分面积) in m² with its source, needed for owners' votes (art. 278)."""

    class AreaSource(models.TextChoices):
        REGISTER = "register", _("Property register")
        SURVEY = "survey", _("Survey")
        CONTRACT = "contract", _("Sale contract")

    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.CASCADE, related_name="dwellings"
    )
    entrance = models.ForeignKey(
        Entrance, verbose_name=_("entrance"), null=True, blank=True, on_delete=models.CASCADE, related_name="dwellings"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("dwelling number"), max_length=20)
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    exclusive_area = models.DecimalField(
        _("exclusive area (m²)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    area_source = models.CharField(_("area source"), max_length=16, choices=AreaSource.choices, blank=True)
    developer_held = models.BooleanField(
        _("held by the developer"), default=False, help_text=_("Unsold or undelivered: counts as one owner in votes.")
    )

    class Meta:
        verbose_name = _("dwelling")
        verbose_name_plural = _("dwellings")
        constraints = [
            models.UniqueConstraint(fields=["building", "entrance", "number"], name="dwelling_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.entrance or self.building}{self.number}室"

    @property
    def label(self) -> str:
        """Short address inside the compound: 3-2-501."""
        entrance = self.entrance.number if self.entrance_id and self.entrance else "0"
        return f"{self.building.number}-{entrance}-{self.number}"
