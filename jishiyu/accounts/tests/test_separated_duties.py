"""三员分立: the system admin, the security admin and the auditor hold no other staff role, no one grants
themselves anything, and an auditor never reads the entries of their own actions."""

from __future__ import annotations

from typing import Any

import pytest

from jishiyu.accounts import services
from jishiyu.accounts.roles import Role
from jishiyu.audit import selectors as audit_selectors
from jishiyu.audit.models import AuditEntry
from jishiyu.audit.services import audit_record
from jishiyu.core.errors import DomainError, NotFound

STAFF_URL = "/api/v1/auth/staff"


def grant(client: Any, user: Any, role: str, region: Any) -> Any:
    return client.post(
        f"{STAFF_URL}/{user.pk}/roles", {"role": role, "region": region.pk}, content_type="application/json"
    )


def roles_of(user: Any) -> set[str]:
    return set(user.role_assignments.filter(active=True).values_list("role", flat=True))


def test_the_system_admin_cannot_grant_itself_district_admin(client: Any, personas: dict, tree: Any) -> None:
    admin = personas["system_admin"]
    client.force_login(admin)
    response = grant(client, admin, Role.DISTRICT_ADMIN, tree.district)
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["role"] == [str(services.NO_SELF_GRANT)]
    assert roles_of(admin) == {Role.SYSTEM_ADMIN}


def test_the_auditor_may_not_be_given_a_working_role(client: Any, personas: dict, tree: Any) -> None:
    client.force_login(personas["system_admin"])
    auditor = personas["auditor"]
    response = grant(client, auditor, Role.DISTRICT_ADMIN, tree.district)
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["role"] == [str(services.SEPARATED_DUTIES_CONFLICT)]
    assert roles_of(auditor) == {Role.AUDITOR}


def test_a_district_admin_may_not_be_made_auditor(client: Any, personas: dict, tree: Any) -> None:
    client.force_login(personas["system_admin"])
    district_admin = personas["district_admin"]
    response = grant(client, district_admin, Role.AUDITOR, tree.district)
    assert response.status_code == 400, response.content
    assert roles_of(district_admin) == {Role.DISTRICT_ADMIN}


def test_an_ordinary_second_role_is_still_granted(personas: dict, tree: Any) -> None:
    worker = personas["community_worker"]
    services.role_grant(
        actor=personas["district_admin"], user_id=worker.pk, role=Role.SOCIAL_WORKER, region_id=tree.community.pk
    )
    assert roles_of(worker) == {Role.COMMUNITY_WORKER, Role.SOCIAL_WORKER}


def test_no_one_grants_themselves_even_an_ordinary_role(personas: dict, tree: Any) -> None:
    admin = personas["district_admin"]
    with pytest.raises(DomainError) as caught:
        services.role_grant(actor=admin, user_id=admin.pk, role=Role.GRID_WORKER, region_id=tree.grid.pk)
    assert caught.value.code == "self_grant"
    assert roles_of(admin) == {Role.DISTRICT_ADMIN}


def test_an_auditor_does_not_read_the_entries_of_their_own_actions(personas: dict, tree: Any) -> None:
    auditor = personas["auditor"]
    own = audit_record(action="view", object_type="people.person", object_id="1", actor=auditor, region_path="")
    other = audit_record(
        action="view", object_type="people.person", object_id="2", actor=personas["district_admin"], region_path=""
    )
    visible = set(audit_selectors.audit_entry_list(actor=auditor).values_list("pk", flat=True))
    assert other.pk in visible
    assert own.pk not in visible
    with pytest.raises(NotFound):
        audit_selectors.audit_entry_get(actor=auditor, entry_id=own.pk)
    assert AuditEntry.objects.filter(pk=own.pk).exists()
