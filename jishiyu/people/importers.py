"""Spreadsheet import of residents, households and dwellings (居民导入), one row per person.

Rows are matched so that importing the same file again changes nothing: people by document hash,
dwellings by building + entrance + number, buildings by community + compound + number, households by
number. Places are resolved by name within the uploader's scope; a place outside it is a row error.
Importing only adds: tags missing from a row are not removed, a blank phone does not erase one."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jishiyu.audit.services import audit_record
from jishiyu.core.imports import (
    CREATED,
    ID_NUMBER,
    PHONE_NUMBER,
    UNCHANGED,
    UPDATED,
    Column,
    Importer,
    RowError,
    RowFaults,
    register,
)
from jishiyu.core.models import ImportJob
from jishiyu.core.scope import path_in_scope
from jishiyu.people.models import Household, Ownership, Person, PersonTag, Residence, Tag
from jishiyu.people.permissions import household_policy, person_policy
from jishiyu.people.services import household_create, ownership_add, person_create, person_tag_set, person_update
from jishiyu.people.validation import normalise_document, normalise_phone, protect_document, protect_phone
from jishiyu.regions.models import Building, Dwelling, Entrance, Region

NAME, DOC_TYPE, DOC_NUMBER, PHONE = "姓名", "证件类型", "证件号码", "手机号"
COMMUNITY, GRID, COMPOUND, BUILDING, ENTRANCE, DWELLING = "社区", "网格", "小区", "楼栋", "单元", "房号"
AREA, AREA_SOURCE, HOUSEHOLD, RELATION, OWNER, SHARE, TAGS = (
    "专有面积",
    "面积来源",
    "户号",
    "与户主关系",
    "是否产权人",
    "产权份额",
    "标签",
)

NAME_REQUIRED = _("Enter the person's name.")
DOCUMENT_REQUIRED = _("Enter the document number: rows are matched by it.")
UNKNOWN_DOCUMENT_TYPE = _("Unknown document type: use 居民身份证, 港澳居民居住证, 台湾居民居住证 or 护照.")
DUPLICATE_IN_FILE = _("The same document number is already in row %(row)s of this file.")
COMMUNITY_REQUIRED = _("Enter the community.")
UNKNOWN_COMMUNITY = _("No community has this name.")
AMBIGUOUS_COMMUNITY = _("Several communities in your area have this name.")
COMMUNITY_OUT_OF_SCOPE = _("This community is outside your area.")
UNKNOWN_GRID = _("This community has no grid of this name.")
UNKNOWN_COMPOUND = _("This community has no compound of this name.")
DWELLING_NUMBER_REQUIRED = _("Enter the dwelling number (房号) with the building.")
BUILDING_REQUIRED = _("Enter the building (楼栋) for this dwelling.")
INVALID_AREA = _("Enter the exclusive area in m² as a number above 0, such as 89.5.")
UNKNOWN_AREA_SOURCE = _("Unknown area source: use 不动产登记, 测绘 or 购房合同.")
INVALID_OWNER = _("Enter 是 or 否.")
INVALID_SHARE = _("Enter the share as a number above 0 and at most 1, such as 0.5.")
OWNER_NEEDS_DWELLING = _("An owner needs a dwelling: enter the building and dwelling number.")
UNKNOWN_TAGS = _("Unknown tags: %(tags)s.")
PERSON_OUT_OF_SCOPE = _("This person is registered outside your area.")
HOUSEHOLD_OUT_OF_SCOPE = _("This household number belongs to a household outside your area.")
RELATION_TOO_LONG = _("At most 20 characters.")

DOCUMENT_TYPES = {
    "": Person.DocumentType.MAINLAND_ID,
    "居民身份证": Person.DocumentType.MAINLAND_ID,
    "身份证": Person.DocumentType.MAINLAND_ID,
    "港澳居民居住证": Person.DocumentType.HK_MACAU_PERMIT,
    "台湾居民居住证": Person.DocumentType.TAIWAN_PERMIT,
    "护照": Person.DocumentType.PASSPORT,
}
AREA_SOURCES = {
    "不动产登记": Dwelling.AreaSource.REGISTER,
    "产权登记": Dwelling.AreaSource.REGISTER,
    "测绘": Dwelling.AreaSource.SURVEY,
    "实测": Dwelling.AreaSource.SURVEY,
    "购房合同": Dwelling.AreaSource.CONTRACT,
    "合同": Dwelling.AreaSource.CONTRACT,
}
TAG_ALIASES = {
    "独居老人": Tag.ELDERLY_ALONE,
    "空巢老人": Tag.EMPTY_NEST,
    "高龄老人": Tag.ADVANCED_AGE,
    "高龄": Tag.ADVANCED_AGE,
    "留守老人": Tag.LEFT_BEHIND_ELDERLY,
    "残疾人": Tag.DISABLED,
    "残疾": Tag.DISABLED,
    "失能": Tag.DEPENDENT,
    "失能老人": Tag.DEPENDENT,
    "失智": Tag.DEMENTIA,
    "低保": Tag.SUBSISTENCE,
    "低边": Tag.NEAR_SUBSISTENCE,
    "特困": Tag.EXTREME_POVERTY,
    "计生特殊家庭": Tag.SPECIAL_FAMILY,
    "留守儿童": Tag.LEFT_BEHIND_CHILD,
    "困境儿童": Tag.CHILD_IN_DIFFICULTY,
    "孤儿": Tag.ORPHAN,
}
YES = {"是", "y", "yes", "1", "true", "√"}
NO = {"", "否", "n", "no", "0", "false"}


def _tag_lookup() -> dict[str, str]:
    table: dict[str, str] = {str(code): str(code) for code in Tag.values}
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            table.update({str(label).lower(): str(code) for code, label in Tag.choices})
    table.update({k: str(v) for k, v in TAG_ALIASES.items()})
    return table


# --- small writers for the address tree (no regions service covers buildings yet) ---------------


def building_get_or_create(
    *, community: Region, grid: Region | None, compound: Region | None, number: str
) -> tuple[Building, bool]:
    """楼栋: found by community + compound + number; a grid given later is filled in."""
    building = Building.objects.filter(community=community, compound=compound, number=number).first()
    if building is None:
        region = grid or community
        return (
            Building.objects.create(community=community, grid=grid, compound=compound, region=region, number=number),
            True,
        )
    if grid is not None and building.grid_id is None:
        building.grid, building.region = grid, grid
        building.save(update_fields=["grid", "region"])
        return building, True
    return building, False


def entrance_get_or_create(*, building: Building, number: str) -> tuple[Entrance, bool]:
    """单元."""
    return Entrance.objects.get_or_create(building=building, number=number)


def dwelling_get_or_create(
    *,
    building: Building,
    entrance: Entrance | None,
    number: str,
    area: Decimal | None,
    area_source: str,
) -> tuple[Dwelling, bool]:
    """户 (房屋): found by building + entrance + number; a new area or source is written."""
    dwelling = Dwelling.objects.filter(building=building, entrance=entrance, number=number).first()
    if dwelling is None:
        dwelling = Dwelling.objects.create(
            building=building,
            entrance=entrance,
            region=building.region,
            number=number,
            exclusive_area=area,
            area_source=area_source,
        )
        return dwelling, True
    fields = []
    if area is not None and dwelling.exclusive_area != area:
        dwelling.exclusive_area = area
        fields.append("exclusive_area")
    if area_source and dwelling.area_source != area_source:
        dwelling.area_source = area_source
        fields.append("area_source")
    if fields:
        dwelling.save(update_fields=fields)
    return dwelling, bool(fields)


@register
class ResidentsImporter(Importer):
    """居民导入: people, their households and dwellings, ownerships and tags."""

    kind = "residents"
    label = _("Residents, households and dwellings")
    permission = "people.import"
    columns = (
        Column(NAME, _("Full name as on the document."), "王秀英", required=True),
        Column(DOC_TYPE, _("居民身份证 (default), 港澳居民居住证, 台湾居民居住证 or 护照."), "居民身份证"),
        Column(
            DOC_NUMBER,
            _("The document number; rows are matched to people by it. Format the column as text."),
            "320114198001010011",
            required=True,
            personal=ID_NUMBER,
        ),
        Column(PHONE, _("Mainland mobile number, 11 digits. Optional."), "13912345678", personal=PHONE_NUMBER),
        Column(COMMUNITY, _("Community name, exactly as in the system; it must be in your area."), "翠竹园社区", True),
        Column(GRID, _("Grid name within the community. Optional."), "翠竹园第一网格"),
        Column(COMPOUND, _("Compound name within the community. Optional."), "翠竹园"),
        Column(BUILDING, _("Building number. Leave empty if the person has no dwelling here."), "3"),
        Column(ENTRANCE, _("Entrance (unit) number. Optional."), "2"),
        Column(DWELLING, _("Dwelling (room) number; required with a building."), "501"),
        Column(AREA, _("Exclusive area in m², such as 89.5. Optional."), "89.5"),
        Column(AREA_SOURCE, _("Where the area comes from: 不动产登记, 测绘 or 购房合同."), "不动产登记"),
        Column(HOUSEHOLD, _("Household number; people with the same number form one household."), "HH-0001"),
        Column(RELATION, _("Relation to the head of household, such as 户主, 配偶, 子女."), "户主"),
        Column(OWNER, _("是 if the person owns the dwelling, else 否."), "是"),
        Column(SHARE, _("The owner's share from 0 to 1 (default 1). Co-owners' shares add up to at most 1."), "1"),
        Column(TAGS, _("Tags for people in difficulty, separated by 、 such as 独居老人、低保."), "独居老人"),
    )
    field_columns = {
        "name": NAME,
        "document_number": DOC_NUMBER,
        "document_type": DOC_TYPE,
        "phone": PHONE,
        "region": COMMUNITY,
        "household": HOUSEHOLD,
        "number": HOUSEHOLD,
        "share": SHARE,
        "tag": TAGS,
        "relation_to_head": RELATION,
    }

    def __init__(self, actor: Any):
        super().__init__(actor)
        self.seen: dict[tuple[str, str], int] = {}
        self.scope = actor.region_paths_for(self.permission)
        self.change_scope = actor.region_paths_for("people.change")
        self.tags = _tag_lookup()
        self._regions: dict[tuple[str, int | None, str], list[Region]] = {}

    # --- resolving ----------------------------------------------------------------------------

    def _named(self, kind: str, parent: Region | None, name: str) -> list[Region]:
        key = (kind, parent.pk if parent else None, name)
        if key not in self._regions:
            qs = Region.objects.filter(kind=kind, name=name)
            if parent is not None:
                qs = qs.filter(parent=parent)
            self._regions[key] = list(qs)
        return self._regions[key]

    def _in_scope(self, region: Region) -> bool:
        return path_in_scope(region.path, self.scope) and path_in_scope(region.path, self.change_scope)

    def _places(self, v: dict[str, str]) -> tuple[Region, Region | None, Region | None]:
        if not v[COMMUNITY]:
            raise RowError(COMMUNITY, COMMUNITY_REQUIRED)
        communities = self._named(Region.Kind.COMMUNITY, None, v[COMMUNITY])
        if not communities:
            raise RowError(COMMUNITY, UNKNOWN_COMMUNITY)
        grid_name = v[GRID]
        visible = [
            c
            for c in communities
            if self._in_scope(c)
            or (grid_name and any(self._in_scope(g) for g in self._named(Region.Kind.GRID, c, grid_name)))
        ]
        if not visible:
            raise RowError(COMMUNITY, COMMUNITY_OUT_OF_SCOPE)
        if len(visible) > 1:
            raise RowError(COMMUNITY, AMBIGUOUS_COMMUNITY)
        community = visible[0]
        grid = compound = None
        if grid_name:
            grids = self._named(Region.Kind.GRID, community, grid_name)
            if not grids:
                raise RowError(GRID, UNKNOWN_GRID)
            grid = grids[0]
        if v[COMPOUND]:
            compounds = self._named(Region.Kind.COMPOUND, community, v[COMPOUND])
            if not compounds:
                raise RowError(COMPOUND, UNKNOWN_COMPOUND)
            compound = compounds[0]
        if not self._in_scope(grid or community):
            raise RowError(GRID if grid else COMMUNITY, COMMUNITY_OUT_OF_SCOPE)
        return community, grid, compound

    def _area(self, v: dict[str, str]) -> tuple[Decimal | None, str]:
        area = None
        if v[AREA]:
            try:
                area = Decimal(v[AREA].replace("㎡", "").replace("m²", "").strip())
            except InvalidOperation:
                raise RowError(AREA, INVALID_AREA) from None
            if not area.is_finite() or area <= 0 or area >= Decimal("10000000"):
                raise RowError(AREA, INVALID_AREA)
            area = area.quantize(Decimal("0.01"))
        source = ""
        if v[AREA_SOURCE]:
            source = AREA_SOURCES.get(v[AREA_SOURCE]) or (
                v[AREA_SOURCE] if v[AREA_SOURCE] in Dwelling.AreaSource.values else ""
            )
            if not source:
                raise RowError(AREA_SOURCE, UNKNOWN_AREA_SOURCE)
        return area, source

    def _area_and_source(self, v: dict[str, str]) -> tuple[Decimal | None, str]:
        """Area and its source, both checked (one fault each)."""
        faults = RowFaults(self)
        area = faults.check(self._area, {**v, AREA_SOURCE: ""})
        source = faults.check(self._area, {**v, AREA: ""})
        faults.raise_any()
        return (area[0] if area else None), (source[1] if source else "")

    def _owner(self, v: dict[str, str]) -> tuple[bool, Decimal]:
        faults = RowFaults(self)
        flag = v[OWNER].lower()
        if flag not in YES | NO:
            faults.add(OWNER, INVALID_OWNER)
        share = Decimal(1)
        if v[SHARE]:
            try:
                share = Decimal(v[SHARE])
            except InvalidOperation:
                share = Decimal("NaN")
            if not share.is_finite() or not Decimal(0) < share <= Decimal(1):
                faults.add(SHARE, INVALID_SHARE)
        faults.raise_any()
        return flag in YES, share.quantize(Decimal("0.0001"))

    def _tag_codes(self, v: dict[str, str]) -> list[str]:
        names = [t for t in re.split(r"[、,，;；/\s]+", v[TAGS]) if t]
        unknown = [t for t in names if t.lower() not in self.tags]
        if unknown:
            raise RowError(TAGS, UNKNOWN_TAGS % {"tags": "、".join(unknown)})
        return list(dict.fromkeys(self.tags[t.lower()] for t in names))

    # --- one row ------------------------------------------------------------------------------

    def import_row(self, row: int, values: dict[str, str]) -> str:
        v = {c.header: (values.get(c.header) or "").strip() for c in self.columns}
        # Every cell is checked before anything is written, and every fault is reported at once.
        faults = RowFaults(self)
        if not v[NAME]:
            faults.add(NAME, NAME_REQUIRED)
        doc_type = DOCUMENT_TYPES.get(v[DOC_TYPE])
        if doc_type is None:
            faults.add(DOC_TYPE, UNKNOWN_DOCUMENT_TYPE)
        number = doc_hash = None
        if not v[DOC_NUMBER]:
            faults.add(DOC_NUMBER, DOCUMENT_REQUIRED)
        elif doc_type is not None:
            number = faults.check(normalise_document, doc_type, v[DOC_NUMBER])
        if number is not None and doc_type is not None:
            doc_hash = protect_document(number).hash
            first = self.seen.setdefault((doc_type, doc_hash), row)
            if first != row:
                faults.add(DOC_NUMBER, DUPLICATE_IN_FILE % {"row": first})
        phone = (faults.check(normalise_phone, v[PHONE]) or "") if v[PHONE] else ""
        if len(v[RELATION]) > 20:
            faults.add(RELATION, RELATION_TOO_LONG)
        area, area_source = faults.check(self._area_and_source, v) or (None, "")
        is_owner, share = faults.check(self._owner, v) or (False, Decimal(1))
        tag_codes = faults.check(self._tag_codes, v) or []
        places = faults.check(self._places, v)
        if v[BUILDING] or v[DWELLING]:
            if not v[BUILDING]:
                faults.add(BUILDING, BUILDING_REQUIRED)
            if not v[DWELLING]:
                faults.add(DWELLING, DWELLING_NUMBER_REQUIRED)
        elif is_owner:
            faults.add(BUILDING, OWNER_NEEDS_DWELLING)
        faults.raise_any()
        assert doc_type is not None and number is not None and doc_hash is not None and places is not None
        community, grid, compound = places

        changed = False
        dwelling = None
        if v[BUILDING] and v[DWELLING]:
            building, made = building_get_or_create(
                community=community, grid=grid, compound=compound, number=v[BUILDING][:20]
            )
            changed |= made
            entrance = None
            if v[ENTRANCE]:
                entrance, made = entrance_get_or_create(building=building, number=v[ENTRANCE][:20])
                changed |= made
            dwelling, made = dwelling_get_or_create(
                building=building, entrance=entrance, number=v[DWELLING][:20], area=area, area_source=area_source
            )
            changed |= made
        place = dwelling.region if dwelling is not None else (grid or community)

        household = None
        if v[HOUSEHOLD]:
            household = Household.objects.filter(number=v[HOUSEHOLD][:40]).first()
            if household is None:
                household = household_create(
                    actor=self.actor,
                    region=None if dwelling else place,
                    dwelling=dwelling,
                    number=v[HOUSEHOLD][:40],
                )
                changed = True
            elif not household_policy.allows(self.actor, "people.change", household):
                raise RowError(HOUSEHOLD, HOUSEHOLD_OUT_OF_SCOPE)

        person = Person.objects.filter(document_type=doc_type, document_hash=doc_hash).select_related("region").first()
        if person is None:
            person = person_create(
                actor=self.actor,
                name=v[NAME],
                document_type=doc_type,
                document_number=number,
                phone=phone,
                region=place,
                dwelling=dwelling,
                household=household,
                relation_to_head=v[RELATION],
                tags=tag_codes,
            )
            created = True
        else:
            created = False
            if not person_policy.allows(self.actor, "people.change", person):
                raise RowError(DOC_NUMBER, PERSON_OUT_OF_SCOPE)
            changes: dict[str, Any] = {}
            if person.name != v[NAME][:50]:
                changes["name"] = v[NAME]
            if phone and protect_phone(phone).hash != person.phone_hash:
                changes["phone"] = phone
            if person.region_id != place.pk:
                changes["region"] = place
            if household is not None and person.household_id != household.pk:
                changes["household"] = household
            if v[RELATION] and person.relation_to_head != v[RELATION]:
                changes["relation_to_head"] = v[RELATION]
            if changes:
                person_update(actor=self.actor, person=person, **changes)
                changed = True
            if dwelling is not None:
                # No people service adds a residence to an existing person yet; the row's savepoint
                # keeps this write and the service calls above all-or-nothing.
                _residence, made = Residence.objects.get_or_create(person=person, dwelling=dwelling)
                changed |= made
            have = set(PersonTag.objects.filter(person=person).values_list("tag", flat=True))
            for code in tag_codes:
                if code not in have:
                    person_tag_set(actor=self.actor, person=person, tag=code)
                    changed = True
        if is_owner and dwelling is not None:
            current = Ownership.objects.filter(person=person, dwelling=dwelling).first()
            if current is None or current.share != share:
                ownership_add(actor=self.actor, person=person, dwelling=dwelling, share=share)
                changed = True
        if created:
            return CREATED
        return UPDATED if changed else UNCHANGED

    def finish(self, job: ImportJob) -> None:
        audit_record(
            action="import",
            object_type="core.importjob",
            object_id=str(job.pk),
            object_label=f"{self.kind} #{job.pk}",
            region_path=job.region_path,
            changes={
                "created": job.created,
                "updated": job.updated,
                "unchanged": job.unchanged,
                "failed": job.failed,
            },
            actor=self.actor,
        )
