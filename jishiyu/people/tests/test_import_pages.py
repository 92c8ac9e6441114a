"""Imports through the API and the pages: upload, progress, errors, scope (outsiders get 404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jishiyu.core import imports
from jishiyu.core.models import ImportJob
from jishiyu.people.models import Person
from jishiyu.people.tests.test_imports import mixed_rows, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def upload(client: Any, capture: Any, name: str = "people.xlsx", data: bytes | None = None) -> Any:
    file = SimpleUploadedFile(name, data if data is not None else xlsx_bytes(mixed_rows()), content_type=XLSX)
    with capture(execute=True):
        return client.post("/api/v1/imports", {"kind": "residents", "file": file})


def test_an_upload_through_the_api_answers_202_with_the_job(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas["community_worker"])
    response = upload(client, django_capture_on_commit_callbacks)
    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"id", "status"}
    assert ImportJob.objects.get(pk=body["id"]).status == "done"


def test_the_job_answers_progress_counts_and_row_errors(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas["community_worker"])
    job_id = upload(client, django_capture_on_commit_callbacks).json()["id"]
    body = client.get(f"/api/v1/imports/{job_id}").json()
    assert (body["processed"], body["total_rows"], body["created"], body["failed"], body["percent"]) == (
        8,
        8,
        2,
        6,
        100,
    )
    assert body["errors"][0] == {"row": 4, "column": "证件号码", "message": body["errors"][0]["message"]}


def test_a_broken_file_through_the_api_is_a_problem_naming_the_file(client, personas):
    client.force_login(personas["community_worker"])
    file = SimpleUploadedFile("x.xlsx", b"PK\x03\x04garbage", content_type=XLSX)
    response = client.post("/api/v1/imports", {"kind": "residents", "file": file})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"]["file"] == [str(imports.BROKEN_FILE)]
    assert not ImportJob.objects.exists()


def test_an_unknown_kind_is_refused(client, personas):
    client.force_login(personas["community_worker"])
    file = SimpleUploadedFile("x.xlsx", xlsx_bytes(mixed_rows()), content_type=XLSX)
    response = client.post("/api/v1/imports", {"kind": "nope", "file": file})
    assert response.status_code == 422 and "kind" in response.json()["errors"]


@pytest.mark.parametrize("persona", ["outsider", "other_community_worker", "grid_worker"])
def test_a_job_is_not_found_for_someone_outside_its_scope(
    client, personas, django_capture_on_commit_callbacks, persona
):
    client.force_login(personas["community_worker"])
    job_id = upload(client, django_capture_on_commit_callbacks).json()["id"]
    client.force_login(personas[persona])
    assert client.get(f"/api/v1/imports/{job_id}").status_code == 404
    assert client.get(f"/people/imports/{job_id}/").status_code == 404
    assert client.get(f"/people/imports/{job_id}/progress/").status_code == 404
    assert client.get(f"/people/imports/{job_id}/errors.xlsx").status_code == 404
    assert client.get("/api/v1/imports").json()["count"] == 0


def test_staff_above_the_uploader_see_the_job(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas["community_worker"])
    job_id = upload(client, django_capture_on_commit_callbacks).json()["id"]
    client.force_login(personas["district_admin"])
    assert client.get(f"/api/v1/imports/{job_id}").status_code == 200


def test_the_template_downloads_as_xlsx_from_the_api_and_the_page(client, personas):
    client.force_login(personas["community_worker"])
    for url in ("/api/v1/imports/templates/residents", "/people/imports/templates/residents.xlsx"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == XLSX
        assert response.content.startswith(b"PK")


def test_the_upload_page_imports_and_shows_the_job(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas["community_worker"])
    file = SimpleUploadedFile("people.xlsx", xlsx_bytes(mixed_rows()), content_type=XLSX)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/people/imports/", {"kind": "residents", "file": file})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/people/imports/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "errors.xlsx" in page and str(imports.ROW_FAILED) not in page
    assert Person.objects.count() == 2


def test_the_upload_page_shows_a_broken_file_message_beside_the_field(client, personas):
    client.force_login(personas["community_worker"])
    file = SimpleUploadedFile("x.csv", b"\xff\xfe\x00\x00garbage", content_type="text/csv")
    response = client.post("/people/imports/", {"kind": "residents", "file": file})
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_a_waiting_job_page_polls_for_progress(client, personas):
    worker = personas["community_worker"]
    job = ImportJob.objects.create(kind="residents", created_by=worker, total_rows=10, processed=4)
    client.force_login(worker)
    partial = client.get(f"/people/imports/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in partial and 'value="40"' in partial


def test_a_finished_job_stops_polling(client, personas):
    worker = personas["community_worker"]
    job = ImportJob.objects.create(kind="residents", created_by=worker, total_rows=1, processed=1, status="done")
    client.force_login(worker)
    assert "hx-trigger" not in client.get(f"/people/imports/{job.pk}/progress/").content.decode()


def test_the_job_list_page_shows_only_visible_jobs(client, personas, django_assert_max_num_queries):
    worker = personas["community_worker"]
    for _ in range(3):
        ImportJob.objects.create(kind="residents", created_by=worker, original_name="mine.xlsx")
    ImportJob.objects.create(kind="residents", created_by=personas["other_community_worker"], original_name="x.xlsx")
    client.force_login(worker)
    with django_assert_max_num_queries(10):
        page = client.get("/people/imports/").content.decode()
    assert page.count("mine.xlsx") == 3 and "x.xlsx</td>" not in page


@pytest.mark.parametrize("who", ["community_worker", "street_dispatcher", "street_official", "district_admin"])
def test_the_imports_page_opens_for_every_role_that_may_import_and_links_each_template(client, personas, who):
    """A kind named with a dot (tickets.hotline) once broke the template links: 500 for the street and district."""
    client.force_login(personas[who])
    response = client.get("/people/imports/")
    assert response.status_code == 200
    links = [part.split('"')[0] for part in response.content.decode().split('href="/people/imports/templates/')[1:]]
    assert links
    for link in links:
        template = client.get(f"/people/imports/templates/{link}")
        assert template.status_code == 200, link
        assert template["Content-Type"] == XLSX
