from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jishiyu.notifications.models import Notification
from jishiyu.notifications.services import notification_send
from jishiyu.notifications.sms import send_sms


@pytest.fixture
def notes(personas: dict) -> dict[str, Notification]:
    return {
        "mine": notification_send(user=personas["resident"], title="给居民的消息", body="正文"),
        "theirs": notification_send(user=personas["grid_worker"], title="给网格员的消息"),
    }


def test_the_inbox_shows_only_my_notifications(client: Any, personas: dict, notes: dict) -> None:
    client.force_login(personas["resident"])
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "给居民的消息" in html
    assert "给网格员的消息" not in html


def test_the_inbox_needs_a_sign_in(client: Any, db: Any) -> None:
    assert client.get(reverse("notifications:inbox")).status_code == 302


def test_the_api_lists_only_my_notifications(
    client: Any, personas: dict, notes: dict, django_assert_max_num_queries: Any
) -> None:
    client.force_login(personas["resident"])
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/notifications").json()
    assert [item["title"] for item in body["items"]] == ["给居民的消息"]
    assert body["count"] == 1


def test_an_outsider_sees_an_empty_inbox(client: Any, personas: dict, notes: dict) -> None:
    client.force_login(personas["outsider"])
    assert client.get("/api/v1/notifications").json()["count"] == 0


def test_marking_read_through_the_api(client: Any, personas: dict, notes: dict) -> None:
    client.force_login(personas["resident"])
    response = client.post(f"/api/v1/notifications/{notes['mine'].pk}/read")
    assert response.status_code == 200
    assert response.json()["read_at"]
    assert client.get("/api/v1/notifications", {"unread": True}).json()["count"] == 0


def test_another_users_notification_answers_404(client: Any, personas: dict, notes: dict) -> None:
    client.force_login(personas["resident"])
    assert client.post(f"/api/v1/notifications/{notes['theirs'].pk}/read").status_code == 404
    assert client.post(reverse("notifications:notification-read", args=[notes["theirs"].pk])).status_code == 404
    notes["theirs"].refresh_from_db()
    assert notes["theirs"].read_at is None


def test_marking_read_with_htmx_redraws_the_row_and_the_count(client: Any, personas: dict, notes: dict) -> None:
    client.force_login(personas["resident"])
    response = client.post(
        reverse("notifications:notification-read", args=[notes["mine"].pk]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert f'id="note-{notes["mine"].pk}"' in html
    assert 'hx-swap-oob="true"' in html
    notes["mine"].refresh_from_db()
    assert notes["mine"].read_at is not None


def test_the_outbox_lists_sms_in_debug_to_the_system_admin(client: Any, personas: dict, settings: Any) -> None:
    settings.DEBUG = True
    send_sms("13912345678", "验证码 123456")
    client.force_login(personas["system_admin"])
    response = client.get(reverse("notifications:outbox-list"))
    assert response.status_code == 200
    assert "验证码 123456" in response.content.decode()


@pytest.mark.parametrize("persona", [None, "resident", "district_admin", "security_admin", "auditor"])
def test_no_one_else_reads_the_outbox_codes(client: Any, personas: dict, settings: Any, persona: str | None) -> None:
    """The probe took over an account by reading its reset code here without signing in."""
    settings.DEBUG = True
    send_sms("13912345678", "验证码 123456")
    if persona:
        client.force_login(personas[persona])
    response = client.get(reverse("notifications:outbox-list"))
    assert response.status_code == 404
    assert "123456" not in response.content.decode()


def test_the_outbox_is_404_when_debug_is_off(client: Any, personas: dict, settings: Any) -> None:
    settings.DEBUG = False
    send_sms("13912345678", "验证码 123456")
    client.force_login(personas["system_admin"])
    assert client.get(reverse("notifications:outbox-list")).status_code == 404


def test_a_message_reads_in_the_language_of_its_reader_not_of_its_sending(client: Any, personas: dict) -> None:
    from django.utils.translation import gettext_lazy

    from jishiyu.notifications.models import OutboxMessage

    resident = personas["resident"]
    resident.language = "zh-hans"
    resident.save(update_fields=["language"])
    note = notification_send(
        user=resident,
        title=gettext_lazy("Your request #%(id)s is closed."),
        body="物业已修好，满意度 100%",  # what someone wrote: kept as written, % and all
        params={"id": 42},
        sms=bool(resident.phone),
    )
    assert (note.title, note.body) == ("您的诉求 #42 已办结。", "物业已修好，满意度 100%")
    client.force_login(resident)
    assert "您的诉求 #42 已办结。" in client.get(reverse("notifications:inbox")).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("notifications:inbox")).content.decode()
    assert "Your request #42 is closed." in english
    assert "物业已修好，满意度 100%" in english
    item = client.get("/api/v1/notifications", HTTP_ACCEPT_LANGUAGE="en").json()["items"][0]
    assert item["title"] == "Your request #42 is closed."
    if resident.phone:  # the text message goes in the recipient's own language
        assert OutboxMessage.objects.filter(body__startswith="您的诉求 #42 已办结。").exists()
