"""Automatic write auditing: before/after of changed fields, sensitive values masked."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers

from jishiyu.audit.models import AuditEntry
from jishiyu.audit.registry import suspended
from jishiyu.core.crypto import encrypt_text, keyed_hash
from jishiyu.core.masking import mask_id_number, mask_phone
from jishiyu.core.testing import make_id_number

pytestmark = pytest.mark.django_db

# The audit app sits below the apps it watches (import-linter): reach their models by label.
Person = apps.get_model("people.Person")
PersonTag = apps.get_model("people.PersonTag")
RoleAssignment = apps.get_model("accounts.RoleAssignment")
Region = apps.get_model("regions.Region")
User = get_user_model()

ID_1 = make_id_number(seq=11)
ID_2 = make_id_number(seq=22)
PHONE_1 = "13912345678"
PHONE_2 = "13787654321"


def _set_document(person: Any, number: str) -> None:
    person.document_enc = encrypt_text(number)
    person.document_hash = keyed_hash(number)
    person.document_masked = mask_id_number(number)


def _set_phone(person: Any, phone: str) -> None:
    person.phone_enc = encrypt_text(phone)
    person.phone_hash = keyed_hash(phone)
    person.phone_masked = mask_phone(phone)


def _person(tree: Any) -> Any:
    person = Person(name="王小明", region=tree.grid)
    _set_document(person, ID_1)
    _set_phone(person, PHONE_1)
    person.save()
    return person


def _whole_table_text() -> str:
    return serializers.serialize("json", AuditEntry.objects.all())


def _last(object_type: str) -> AuditEntry:
    return AuditEntry.objects.filter(object_type=object_type).order_by("-id")[0]


def test_creating_a_person_records_masked_document_and_phone_under_the_persons_region(tree: Any) -> None:
    person = _person(tree)
    entry = _last("people.person")
    assert entry.action == "create"
    assert entry.object_id == str(person.pk)
    assert entry.region_path == tree.grid.path
    assert entry.changes["document"] == {"before": None, "after": mask_id_number(ID_1)}
    assert entry.changes["phone"] == {"before": None, "after": mask_phone(PHONE_1)}
    assert entry.changes["name"] == {"before": None, "after": "王小明"}


def test_changing_a_persons_document_and_phone_records_masked_before_and_after_and_never_the_plain_values(
    tree: Any,
) -> None:
    person = _person(tree)
    _set_document(person, ID_2)
    _set_phone(person, PHONE_2)
    person.save()
    entry = _last("people.person")
    assert entry.action == "update"
    assert entry.changes == {
        "document": {"before": mask_id_number(ID_1), "after": mask_id_number(ID_2)},
        "phone": {"before": mask_phone(PHONE_1), "after": mask_phone(PHONE_2)},
    }
    text = _whole_table_text()
    for plain in (ID_1, ID_2, PHONE_1, PHONE_2, person.document_enc, person.document_hash):
        assert plain not in text


def test_an_update_records_only_the_fields_that_changed(tree: Any, personas: Any) -> None:
    person = _person(tree)
    person.name = "王晓明"
    person.save()
    entry = _last("people.person")
    assert entry.changes == {"name": {"before": "王小明", "after": "王晓明"}}


def test_re_encrypting_the_same_document_is_not_recorded_as_a_change(tree: Any) -> None:
    person = _person(tree)
    _set_document(person, ID_1)  # a new nonce: new ciphertext, same hash
    person.save()
    assert AuditEntry.objects.filter(object_type="people.person", action="update").count() == 0


def test_the_actor_comes_from_the_audit_context(tree: Any, personas: Any) -> None:
    from jishiyu.audit.context import actor_context

    with actor_context(personas["community_worker"], ip="10.0.0.8"):
        _person(tree)
    entry = _last("people.person")
    assert entry.actor == personas["community_worker"]
    assert entry.actor_label == "社区工作者"
    assert str(entry.ip) == "10.0.0.8"


def test_deleting_a_tag_records_its_values_under_the_persons_region(tree: Any) -> None:
    person = _person(tree)
    tag = PersonTag.objects.create(person=person, tag="elderly_alone", note="电话 13912345678")
    tag_id = tag.pk
    tag.delete()
    entry = _last("people.persontag")
    assert entry.action == "delete"
    assert entry.object_id == str(tag_id)
    assert entry.region_path == tree.grid.path
    assert entry.changes["tag"] == {"before": "elderly_alone", "after": None}
    assert PHONE_1 not in _whole_table_text()


def test_a_users_password_is_recorded_as_changed_and_the_phone_masked(personas: Any) -> None:
    user = User.objects.create_user(phone=PHONE_1, password="Secret-123-abc", name="新用户")
    entry = _last("accounts.user")
    assert entry.changes["password"] == "changed"
    assert entry.changes["phone"] == {"before": "", "after": mask_phone(PHONE_1)}
    user.set_password("Other-456-def")
    user.save()
    assert _last("accounts.user").changes == {"password": "changed"}
    text = _whole_table_text()
    assert PHONE_1 not in text
    assert "Secret-123-abc" not in text and user.password not in text


def test_saving_only_an_ignored_field_records_nothing(personas: Any) -> None:
    user = personas["outsider"]
    before = AuditEntry.objects.filter(object_type="accounts.user").count()
    user.save(update_fields=["last_login"])
    assert AuditEntry.objects.filter(object_type="accounts.user").count() == before


def test_a_role_assignment_is_recorded_under_its_region(personas: Any, tree: Any) -> None:
    RoleAssignment.objects.create(user=personas["outsider"], role="grid_worker", region=tree.grid2)
    entry = _last("accounts.roleassignment")
    assert entry.action == "create"
    assert entry.region_path == tree.grid2.path


def test_a_new_region_is_filed_under_its_parent_while_its_path_is_being_made(tree: Any) -> None:
    # As regions.services.region_create does: insert with a temporary path, then set the real one.
    grid = Region.objects.create(kind="grid", name="凤台第一网格", parent=tree.sibling_community, path="tmp-1")
    Region.objects.filter(pk=grid.pk).update(path=f"{tree.sibling_community.path}{grid.pk}/")
    entry = AuditEntry.objects.get(object_type="regions.region", object_id=str(grid.pk), action="create")
    assert entry.region_path == tree.sibling_community.path


def test_suspended_auditing_writes_nothing(tree: Any) -> None:
    with suspended():
        _person(tree)
    assert not AuditEntry.objects.filter(object_type="people.person").exists()
