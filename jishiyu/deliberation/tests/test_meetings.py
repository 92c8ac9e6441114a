"""Meetings (会议): pages and API for the convener, attendance, minutes, decisions; 404 outside the scope."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jishiyu.core.errors import PermissionDenied, ValidationFailed
from jishiyu.deliberation import services
from jishiyu.deliberation.models import Attendance, Meeting, Party
from jishiyu.deliberation.tests.factories import build_estate

API = "/api/v1/deliberation"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def estate(tree: Any, personas: Any) -> Any:
    return build_estate(tree)


@pytest.fixture
def secretary(personas: Any) -> Any:
    return personas["community_secretary"]


@pytest.fixture
def meeting(estate: Any, secretary: Any) -> Meeting:
    return services.meeting_schedule(
        actor=secretary,
        compound=estate.compound,
        title="四方议事会",
        held_at=timezone.now() + datetime.timedelta(days=2),
        agenda="1. 楼道灯\n2. 加装电梯",
    )


def test_the_convener_schedules_a_meeting_through_the_page(client, estate, secretary) -> None:
    client.force_login(secretary)
    response = client.post(
        f"/compounds/{estate.compound.pk}/meetings/new/",
        {
            "title": "电梯议事",
            "kind": "four_party",
            "quorum_basis": "people",
            "held_at": "2030-05-01T19:00",
            "agenda": "加装电梯",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/compounds/meetings/{meeting.pk}/"
    assert meeting.agenda == "加装电梯"


def test_the_meeting_list_shows_the_compounds_meetings_to_an_owner(
    client, estate, meeting, django_assert_max_num_queries
) -> None:
    client.force_login(estate.owners["乙"])
    with django_assert_max_num_queries(20):
        page = client.get(f"/compounds/{estate.compound.pk}/meetings/")
    assert page.status_code == 200 and "四方议事会" in page.content.decode()


def test_the_meeting_page_shows_agenda_attendance_and_decisions(client, estate, meeting, secretary) -> None:
    services.meeting_record(actor=secretary, meeting=meeting, attendees=[("王书记", None)], decisions="先修灯")
    client.force_login(estate.owners["乙"])
    page = client.get(f"/compounds/meetings/{meeting.pk}/").content.decode()
    assert "加装电梯" in page and "王书记" in page and "先修灯" in page


def test_the_convener_edits_the_meeting(client, meeting, secretary) -> None:
    client.force_login(secretary)
    client.post(
        f"/compounds/meetings/{meeting.pk}/edit/",
        {"title": "改期的议事会", "kind": "four_party", "held_at": "2030-06-01T19:00", "place": "党群服务中心"},
    )
    meeting.refresh_from_db()
    assert (meeting.title, meeting.place) == ("改期的议事会", "党群服务中心")


def test_an_owner_may_not_edit_a_meeting(estate, meeting) -> None:
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=estate.owners["乙"], meeting=meeting, title="x", held_at=meeting.held_at)


def test_minutes_uploaded_on_the_page_download_for_those_in_scope(client, estate, meeting, secretary) -> None:
    client.force_login(secretary)
    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    client.post(f"/compounds/meetings/{meeting.pk}/record/", {"decisions": "通过", "minutes": upload})
    client.force_login(estate.owners["乙"])
    response = client.get(f"/compounds/meetings/{meeting.pk}/minutes/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 minutes"


def test_minutes_of_an_unknown_kind_are_refused_naming_the_field(meeting, secretary) -> None:
    upload = SimpleUploadedFile("minutes.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationFailed) as excinfo:
        services.meeting_record(actor=secretary, meeting=meeting, minutes=upload)
    assert "minutes" in excinfo.value.errors
    assert not Meeting.objects.get(pk=meeting.pk).minutes


def test_attendance_for_a_party_of_another_compound_is_refused(meeting, secretary, tree) -> None:
    other = tree.other_community
    party = Party.objects.create(compound=other, kind="party", name="别处")
    with pytest.raises(ValidationFailed):
        services.meeting_record(actor=secretary, meeting=meeting, attendees=[("某人", party)])
    assert Attendance.objects.count() == 0


def test_the_api_creates_updates_and_records_a_meeting(client, estate, secretary) -> None:
    client.force_login(secretary)
    created = client.post(
        f"{API}/compounds/{estate.compound.pk}/meetings",
        {"title": "居民会议", "kind": "residents", "held_at": "2030-05-01T19:00:00+08:00"},
        content_type="application/json",
    )
    assert created.status_code == 201
    mid = created.json()["id"]
    updated = client.put(
        f"{API}/meetings/{mid}",
        {"title": "居民会议（改）", "held_at": "2030-05-02T19:00:00+08:00", "agenda": "议程"},
        content_type="application/json",
    )
    assert updated.json()["agenda"] == "议程"
    recorded = client.post(
        f"{API}/meetings/{mid}/record",
        {"attendees": [{"name": "张三"}], "decisions": "通过", "entitled": 100, "present": 60, "agreed": 40},
        content_type="application/json",
    ).json()
    assert [a["name"] for a in recorded["attendance"]] == ["张三"]
    assert recorded["outcome"]["quorate"] is True and recorded["outcome"]["carried"] is True


def test_the_api_uploads_the_minutes(client, meeting, secretary) -> None:
    client.force_login(secretary)
    upload = SimpleUploadedFile("minutes.txt", b"minutes", content_type="text/plain")
    response = client.post(f"{API}/meetings/{meeting.pk}/minutes", {"minutes": upload})
    assert response.status_code == 200 and response.json()["has_minutes"] is True


def test_the_api_answers_422_naming_the_field_for_bad_counts(client, secretary, estate) -> None:
    meeting = services.meeting_schedule(
        actor=secretary, compound=estate.compound, title="居民会议", held_at=timezone.now(), kind="residents"
    )
    client.force_login(secretary)
    response = client.post(
        f"{API}/meetings/{meeting.pk}/record",
        {"entitled": 10, "present": 12, "agreed": 1},
        content_type="application/json",
    )
    assert response.status_code == 422 and "present" in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "other_community_worker"])
def test_meetings_are_not_found_for_those_outside(client, personas, estate, meeting, secretary, persona) -> None:
    services.meeting_record(
        actor=secretary, meeting=meeting, minutes=SimpleUploadedFile("m.pdf", b"x", content_type="application/pdf")
    )
    client.force_login(personas[persona])
    cid, mid = estate.compound.pk, meeting.pk
    for url in [
        f"/compounds/{cid}/meetings/",
        f"/compounds/{cid}/meetings/new/",
        f"/compounds/meetings/{mid}/",
        f"/compounds/meetings/{mid}/edit/",
        f"/compounds/meetings/{mid}/minutes/",
        f"{API}/compounds/{cid}/meetings",
        f"{API}/meetings/{mid}",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/compounds/meetings/{mid}/attendance/", {"name": "x"}).status_code == 404
    assert (
        client.post(f"{API}/meetings/{mid}/record", {"decisions": "x"}, content_type="application/json").status_code
        == 404
    )
    assert (
        client.put(
            f"{API}/meetings/{mid}", {"title": "x", "held_at": "2030-01-01T00:00:00Z"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert Attendance.objects.count() == 0 and Meeting.objects.get().decisions == ""


def test_the_convener_removes_a_mistaken_attendee_on_the_page(client, estate, meeting, secretary) -> None:
    services.meeting_record(actor=secretary, meeting=meeting, attendees=[("王书记", None), ("张三（错记）", None)])
    wrong = Attendance.objects.get(name="张三（错记）")
    client.force_login(secretary)
    page = client.get(f"/compounds/meetings/{meeting.pk}/").content.decode()
    assert f"/compounds/meetings/{meeting.pk}/attendance/{wrong.pk}/remove/" in page
    response = client.post(f"/compounds/meetings/{meeting.pk}/attendance/{wrong.pk}/remove/", follow=True)
    assert response.status_code == 200
    assert list(Attendance.objects.filter(meeting=meeting).values_list("name", flat=True)) == ["王书记"]
    assert "张三（错记）" not in response.content.decode()


def test_an_owner_sees_no_remove_button_and_cannot_remove(client, estate, meeting, secretary) -> None:
    services.meeting_record(actor=secretary, meeting=meeting, attendees=[("王书记", None)])
    entry = Attendance.objects.get()
    client.force_login(estate.owners["乙"])
    assert "/remove/" not in client.get(f"/compounds/meetings/{meeting.pk}/").content.decode()
    client.post(f"/compounds/meetings/{meeting.pk}/attendance/{entry.pk}/remove/")
    assert Attendance.objects.filter(pk=entry.pk).exists()
    response = client.delete(f"{API}/meetings/{meeting.pk}/attendance/{entry.pk}")
    assert response.status_code == 403
    assert Attendance.objects.filter(pk=entry.pk).exists()


def test_the_api_removes_an_attendee_and_only_of_that_meeting(client, estate, meeting, secretary) -> None:
    other = services.meeting_schedule(
        actor=secretary, compound=estate.compound, title="第二次会", held_at=timezone.now() + datetime.timedelta(days=9)
    )
    services.meeting_record(actor=secretary, meeting=meeting, attendees=[("王书记", None)])
    services.meeting_record(actor=secretary, meeting=other, attendees=[("李主任", None)])
    mine, theirs = Attendance.objects.get(meeting=meeting), Attendance.objects.get(meeting=other)
    client.force_login(secretary)
    assert client.delete(f"{API}/meetings/{meeting.pk}/attendance/{theirs.pk}").status_code == 404
    assert client.delete(f"{API}/meetings/{meeting.pk}/attendance/{mine.pk}").status_code == 204
    assert list(Attendance.objects.values_list("name", flat=True)) == ["李主任"]


@pytest.mark.parametrize("persona", ["outsider", "other_community_worker"])
def test_attendance_cannot_be_removed_from_outside(client, personas, meeting, secretary, persona) -> None:
    services.meeting_record(actor=secretary, meeting=meeting, attendees=[("王书记", None)])
    entry = Attendance.objects.get()
    client.force_login(personas[persona])
    assert client.post(f"/compounds/meetings/{meeting.pk}/attendance/{entry.pk}/remove/").status_code == 404
    assert client.delete(f"{API}/meetings/{meeting.pk}/attendance/{entry.pk}").status_code == 404
    assert Attendance.objects.filter(pk=entry.pk).exists()
