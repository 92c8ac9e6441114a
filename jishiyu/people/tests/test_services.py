from __future__ import annotations

import pytest

from jishiyu.audit.models import AuditEntry
from jishiyu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jishiyu.core.testing import make_id_number
from jishiyu.people.models import Household, Person
from jishiyu.people.services import household_member_add, person_create, person_lookup, person_reveal
from jishiyu.people.tests.factories import make_person


def test_a_person_is_stored_with_the_id_number_encrypted_hashed_and_masked(tree, personas):
    number = make_id_number(birth="19450312", seq=17)
    person = person_create(
        actor=personas["community_worker"],
        name="王秀英",
        document_number=number,
        phone="13912345678",
        region=tree.grid,
    )
    stored = Person.objects.get(pk=person.pk)
    assert number not in stored.document_enc and number not in stored.document_hash
    assert stored.document_masked == f"{number[:4]}**********{number[-4:]}"
    assert stored.phone_masked == "139****5678"
    assert stored.birth_date.isoformat() == "1945-03-12"
    assert stored.gender == "m"


def test_a_wrong_check_digit_is_refused_with_a_message_on_the_field(tree, personas):
    number = make_id_number()
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(ValidationFailed) as exc:
        person_create(actor=personas["community_worker"], name="甲", document_number=wrong, region=tree.grid)
    assert "document_number" in exc.value.errors
    assert not Person.objects.exists()


def test_the_same_document_cannot_be_registered_twice(tree, personas):
    number = make_id_number(seq=3)
    person_create(actor=personas["community_worker"], name="甲", document_number=number, region=tree.grid)
    with pytest.raises(Conflict):
        person_create(actor=personas["community_worker"], name="乙", document_number=number, region=tree.grid2)
    assert Person.objects.count() == 1


def test_a_worker_cannot_register_a_person_in_another_community(tree, personas):
    with pytest.raises(ValidationFailed) as exc:
        person_create(actor=personas["other_community_worker"], name="甲", region=tree.grid)
    assert "region" in exc.value.errors


def test_revealing_needs_a_reason_and_is_audited_masked(tree, personas):
    number = make_id_number(seq=5)
    worker = personas["community_worker"]
    person = person_create(actor=worker, name="甲", document_number=number, region=tree.grid)
    assert person_reveal(actor=worker, person=person, field="document_number", reason="核实低保申请") == number
    entry = AuditEntry.objects.get(action="reveal")
    assert entry.reason == "核实低保申请" and number not in str(entry.changes)
    with pytest.raises(NotFound):
        person_reveal(actor=personas["other_community_worker"], person=person, field="document_number", reason="看看")


def test_lookup_by_id_number_is_scoped(tree, personas):
    number = make_id_number(seq=9)
    person_create(actor=personas["community_worker"], name="甲", document_number=number, region=tree.grid)
    assert person_lookup(actor=personas["street_official"], document_number=number).name == "甲"
    with pytest.raises(NotFound):
        person_lookup(actor=personas["other_community_worker"], document_number=number)


def test_adding_a_household_member_needs_change_scope_over_both_the_household_and_the_person(tree, personas):
    here = Household.objects.create(region=tree.grid, number="H-1")
    there = Household.objects.create(region=tree.other_grid, number="H-2")
    neighbour, stranger = make_person("甲", tree.grid, seq=1), make_person("乙", tree.other_grid, seq=2)
    worker = personas["community_worker"]
    with pytest.raises(NotFound):
        household_member_add(actor=worker, household=there, person=neighbour)
    with pytest.raises(NotFound):
        household_member_add(actor=worker, household=here, person=stranger)
    with pytest.raises(PermissionDenied):
        household_member_add(actor=personas["social_worker"], household=here, person=neighbour)
    assert not Person.objects.filter(household__isnull=False).exists()
    added = household_member_add(actor=worker, household=here, person=neighbour, relation_to_head="户主")
    assert added.household == here and added.relation_to_head == "户主"
    with pytest.raises(Conflict):
        household_member_add(actor=worker, household=here, person=neighbour)
