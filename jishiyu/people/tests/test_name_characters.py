"""Names with control characters or invisible marks are refused, naming the field, wherever a name is typed:
residents (API), staff accounts, organisations. The probe stored NUL, BEL and ANSI escapes in names."""

from __future__ import annotations

from typing import Any

import pytest

from jishiyu.accounts import services as account_services
from jishiyu.core.errors import DomainError, ValidationFailed
from jishiyu.core.text import CONTROL_IN_NAME, has_control_characters
from jishiyu.organisations.models import Organisation
from jishiyu.organisations.services import organisation_create
from jishiyu.people.models import Person

pytestmark = pytest.mark.django_db

BAD_NAMES = ["张\x00三", "李\x07四", "\x1b[31m王五", "赵\u202e六", "钱\u200b七", "孙\x85八"]


def test_control_and_invisible_characters_are_recognised() -> None:
    assert all(has_control_characters(n) for n in BAD_NAMES)
    assert not any(has_control_characters(n) for n in ["张三", "Li Si", "阿卜杜拉·买买提", "O'Brien-Smith"])


@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_resident_with_such_a_name_is_refused_by_the_api(client: Any, personas: dict, tree: Any, name: str) -> None:
    client.force_login(personas["community_worker"])
    before = Person.objects.count()
    response = client.post("/api/v1/people", {"name": name, "region_id": tree.grid.pk}, content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["errors"]["name"] == [str(CONTROL_IN_NAME)]
    assert Person.objects.count() == before  # (PostgreSQL cannot even look a NUL up)


def test_a_staff_account_with_such_a_name_is_refused(personas: dict, tree: Any) -> None:
    with pytest.raises(DomainError) as caught:
        account_services.staff_create(
            actor=personas["community_secretary"],
            phone="13700000077",
            name="网格\x00员",
            role="grid_worker",
            region_id=tree.grid.pk,
        )
    errors = getattr(caught.value, "errors", None) or {caught.value.field: [caught.value.message]}
    assert "name" in errors


def test_an_organisation_with_such_a_name_is_refused(personas: dict, tree: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        organisation_create(
            actor=personas["district_admin"], kind="social", name="互助\x1b会", region_id=tree.district.pk
        )
    assert caught.value.errors["name"] == [str(CONTROL_IN_NAME)]
    assert not Organisation.objects.filter(name__startswith="互助").exists()
