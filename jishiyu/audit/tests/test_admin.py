"""The back office shows the audit log read-only, to auditors only, within their scope."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import make_user
from jishiyu.audit.services import audit_record

pytestmark = pytest.mark.django_db

URL = "/admin/audit/auditentry/"


def test_a_system_admin_with_admin_access_cannot_open_the_audit_log(client: Any, tree: Any) -> None:
    admin = make_user("13800000041", "系统管理员二", "system_admin", tree.district, is_staff=True)
    client.force_login(admin)
    assert client.get(URL).status_code == 403


def test_a_street_auditor_sees_their_streets_entries_read_only(client: Any, tree: Any) -> None:
    here = audit_record(action="reveal", object_type="people.person", object_id="1", region_path=tree.grid.path)
    there = audit_record(action="reveal", object_type="people.person", object_id="2", region_path=tree.other_grid.path)
    client.force_login(make_user("13800000042", "街道审计员", "auditor", tree.street, is_staff=True))
    listed = set(client.get(URL, {"action__exact": "reveal"}).context["cl"].queryset)
    assert listed == {here}
    assert client.get(f"{URL}{there.pk}/change/").status_code == 302  # out of scope: sent away, not shown
    response = client.get(f"{URL}{here.pk}/change/")
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert client.post(f"{URL}{here.pk}/delete/").status_code == 403
