"""The demo district command (演示城区): deterministic, valid, with one working account per role."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, RequestFactory

from jishiyu.accounts.models import RoleAssignment, User
from jishiyu.accounts.roles import Role
from jishiyu.audit.models import AuditEntry
from jishiyu.demo import builder, data
from jishiyu.organisations.models import Membership, Organisation
from jishiyu.people.models import Household, Ownership, Person, PersonTag
from jishiyu.people.validation import normalise_document, normalise_phone
from jishiyu.regions.models import Building, Dwelling, Region, RegionCode

RESIDENTS = 300


def build(*args: str) -> str:
    out = io.StringIO()
    call_command("demo_district", "--residents", str(RESIDENTS), "--seed", "11", *args, stdout=out)
    return out.getvalue()


def fingerprint() -> str:
    rows = Person.objects.order_by("document_hash").values_list("name", "document_hash", "phone_hash", "birth_date")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


@pytest.fixture
def district(db: Any) -> None:
    build()


def test_a_build_holds_exactly_the_residents_asked_for(district: None) -> None:
    assert Person.objects.count() == RESIDENTS


def test_two_builds_with_the_same_seed_give_the_same_people(district: None) -> None:
    first = fingerprint()
    build("--reset")
    assert fingerprint() == first


def test_another_seed_gives_other_people(district: None) -> None:
    first = fingerprint()
    out = io.StringIO()
    call_command("demo_district", "--residents", str(RESIDENTS), "--seed", "12", "--reset", stdout=out)
    assert fingerprint() != first


def test_every_id_number_passes_the_validation_of_the_people_app(district: None) -> None:
    for person in Person.objects.all():
        number = person._document_plain()
        assert normalise_document(person.document_type, number) == number
        assert person.document_masked == f"{number[:4]}{'*' * 10}{number[-4:]}"


def test_every_phone_is_a_valid_mobile_number_stored_masked(district: None) -> None:
    people = Person.objects.exclude(phone_enc="")
    assert people.exists()
    for person in people:
        phone = person._phone_plain()
        assert normalise_phone(phone) == phone
        assert person.phone_masked == f"{phone[:3]}****{phone[-4:]}"


def test_no_plain_id_number_is_stored_in_any_person_column(district: None) -> None:
    person = Person.objects.first()
    assert person is not None
    number = person._document_plain()
    stored = " ".join(str(v) for v in Person.objects.filter(pk=person.pk).values().first().values())  # type: ignore[union-attr]
    assert number not in stored


def test_every_region_path_is_its_parents_path_and_its_id(district: None) -> None:
    regions = {r.pk: r for r in Region.objects.all()}
    for region in regions.values():
        parent_path = regions[region.parent_id].path if region.parent_id else "/"
        assert region.path == f"{parent_path}{region.pk}/"
        assert region.depth == region.path.count("/") - 2


def test_division_codes_are_twelve_digits_unique_and_nested(district: None) -> None:
    codes = list(RegionCode.objects.filter(system=RegionCode.System.NBS).select_related("region__parent"))
    assert len(codes) == 1 + len(data.STREETS) + len(data.COMMUNITIES)
    assert len({c.code for c in codes}) == len(codes)
    for code in codes:
        assert len(code.code) == 12 and code.code.isdigit() and code.code.startswith("320114")
        if code.region.kind == Region.Kind.COMMUNITY:
            assert code.region.parent is not None
            assert code.code[:9] == code.region.parent.division_code[:9]


def test_the_streets_and_parks_carry_their_official_codes(district: None) -> None:
    found = {c.region.name: c.code[6:9] for c in RegionCode.objects.filter(region__depth=1).select_related("region")}
    assert found == {s.name: s.code for s in data.STREETS}
    assert Region.objects.get(name="中国（南京）软件谷").kind == Region.Kind.PARK


def test_communities_of_all_three_kinds_exist_with_polygons(district: None) -> None:
    communities = Region.objects.filter(kind=Region.Kind.COMMUNITY)
    assert set(communities.values_list("community_kind", flat=True)) == {"village", "commercial", "legacy_industrial"}
    cuizhu = communities.get(name="翠竹园社区")
    assert cuizhu.parent is not None and cuizhu.parent.name == "雨花街道"
    assert cuizhu.geometry is not None and cuizhu.geometry["type"] == "Polygon"
    assert 31.8 < (cuizhu.lat or 0) < 32.1 and 118.6 < (cuizhu.lon or 0) < 118.9


def test_a_building_of_a_grid_sits_in_that_grid_and_its_community(district: None) -> None:
    for building in Building.objects.select_related("grid", "compound", "community"):
        assert building.grid is not None and building.compound is not None
        assert building.grid.parent_id == building.community_id == building.compound.parent_id
        assert building.region_id == building.grid_id


@pytest.mark.parametrize("households", [600, 650, 1000, 2000, 3333, 5000])
def test_grids_are_planned_to_hold_300_to_500_households(households: int) -> None:
    count = builder.grid_count(households)
    assert 300 <= households / count <= 500


def test_a_small_community_has_a_single_grid() -> None:
    assert builder.grid_count(120) == 1


def test_households_have_one_to_four_people_and_one_head(district: None) -> None:
    for household in Household.objects.prefetch_related("members"):
        relations = [m.relation_to_head for m in household.members.all()]
        assert 1 <= len(relations) <= 4
        assert relations.count("户主") == 1


def test_every_owned_dwelling_has_exactly_one_representative(district: None) -> None:
    for dwelling in Dwelling.objects.filter(ownerships__isnull=False).distinct().prefetch_related("ownerships"):
        owners = list(dwelling.ownerships.all())
        assert sum(o.representative for o in owners) == 1
        assert sum(o.share for o in owners) == 1


def test_dwelling_areas_have_two_decimals_and_a_source(district: None) -> None:
    for area, source in Dwelling.objects.values_list("exclusive_area", "area_source"):
        assert 40 <= area <= 150 and area == round(area, 2)
        assert source in {"register", "survey", "contract"}


def test_disability_tags_carry_a_kind_and_a_grade(district: None) -> None:
    for tag in PersonTag.objects.filter(tag="disabled"):
        assert tag.disability_kind and 1 <= (tag.disability_grade or 0) <= 4


def test_the_build_is_audited_once(district: None) -> None:
    entry = AuditEntry.objects.get(object_type="demo.district")
    assert entry.changes["rows"]["people.Person"] == RESIDENTS


@pytest.mark.parametrize("role", list(Role))
def test_each_demo_account_logs_in_and_holds_exactly_its_role(district: None, role: Role) -> None:
    phone = builder.demo_phone(role)
    # django-axes needs the request that the sign-in page would pass.
    assert Client().login(request=RequestFactory().post("/"), phone=phone, password=settings.DEMO_PASSWORD)
    assignment = RoleAssignment.objects.select_related("region").get(user__phone=phone)
    assert assignment.role == role
    expected = {
        "grid": Region.objects.filter(parent__name=data.DEMO_COMMUNITY, kind=Region.Kind.GRID).order_by("pk").first(),
        "community": Region.objects.get(name=data.DEMO_COMMUNITY),
        "street": Region.objects.get(name=data.DEMO_STREET),
        "district": Region.objects.get(kind=Region.Kind.DISTRICT),
    }[builder.ROLE_NODES[role]]
    assert assignment.region == expected


def test_demo_phones_follow_the_role_order() -> None:
    assert [builder.demo_phone(r) for r in Role][:3] == ["13900000001", "13900000002", "13900000003"]
    assert builder.demo_phone(Role.SECURITY_ADMIN) == "13900000013"


def test_the_demo_resident_is_a_verified_owner_of_their_home(district: None) -> None:
    user = User.objects.get(phone=builder.demo_phone(Role.RESIDENT))
    person = Person.objects.get(user=user)
    assert person.verified_at is not None
    assert person._phone_plain() == user.phone
    ownership = Ownership.objects.filter(person=person, representative=True).order_by("pk").first()
    assert ownership is not None
    assert ownership.verified_at is not None
    assert person.residences.filter(dwelling=ownership.dwelling).exists()


def test_no_other_resident_has_an_account(district: None) -> None:
    assert Person.objects.filter(user__isnull=False).count() == 1
    assert User.objects.count() == len(Role)


def test_the_department_handler_and_organisation_member_belong_to_their_organisations(district: None) -> None:
    handler = RoleAssignment.objects.get(role=Role.DEPARTMENT_HANDLER)
    assert handler.department is not None and handler.department.kind == Organisation.Kind.DEPARTMENT
    membership = Membership.objects.get(user__phone=builder.demo_phone(Role.ORGANISATION_MEMBER))
    assert membership.organisation.kind == Organisation.Kind.SOCIAL


def test_organisations_of_every_kind_exist(district: None) -> None:
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(Organisation.Kind.values)
    assert Organisation.objects.get(name="科菲平基金会").public_fundraising


def test_if_empty_does_nothing_when_a_district_exists(district: None) -> None:
    before = fingerprint(), Region.objects.count(), User.objects.count()
    assert "nothing to do" in build("--if-empty")
    assert (fingerprint(), Region.objects.count(), User.objects.count()) == before
    assert AuditEntry.objects.filter(object_type="demo.district").count() == 1


def test_building_over_an_existing_district_without_reset_fails(district: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        build()


def test_app_demo_modules_run_after_the_core_build(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []

    class Module:
        __name__ = "jishiyu.fake.demo"

        @staticmethod
        def build(context: Any) -> None:
            seen.append(Person.objects.count())
            assert context.accounts[Role.RESIDENT].phone == "13900000001"

    monkeypatch.setattr(builder, "demo_modules", lambda: [Module])
    build()
    assert seen == [RESIDENTS]


def test_the_readme_lists_every_demo_account_as_the_command_creates_it() -> None:
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1:-1] for line in readme.splitlines() if line.startswith("| ") and "139000000" in line]
    listed = {cells[0].split()[0]: (cells[1].strip(), cells[2].strip()) for cells in rows}
    assert listed == {role.value: (builder.demo_phone(role), settings.DEMO_PASSWORD) for role in Role}
