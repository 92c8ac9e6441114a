"""JSON API of spreadsheet imports (表格导入): upload, progress and errors, templates."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from jishiyu.core.api import PageNumberPagination
from jishiyu.core.exports import XLSX_CONTENT_TYPE
from jishiyu.core.imports import (
    import_job_create,
    import_job_get,
    import_job_list,
    import_template_xlsx,
    importer_for,
)
from jishiyu.core.models import ImportJob

router = Router(tags=["imports"])


class ImportJobCreatedOut(Schema):
    id: int
    status: str


class ImportErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportJobOut(Schema):
    id: int
    kind: str
    status: str
    total_rows: int
    processed: int
    percent: int
    created: int
    updated: int
    unchanged: int
    failed: int
    message: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    errors: list[ImportErrorOut]


@router.get("/templates/{kind}", summary="Download the template of an import kind (.xlsx)")
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    importer_for(kind)  # 400 with a message on an unknown kind
    response = HttpResponse(import_template_xlsx(kind), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="import-{kind}-template.xlsx"'
    return response


@router.post("", response={202: ImportJobCreatedOut}, summary="Upload a spreadsheet to import")
def import_create(request: HttpRequest, kind: Form[str], file: File[UploadedFile]) -> Status[ImportJob]:
    return Status(202, import_job_create(actor=request.user, kind=kind, upload=file))


@router.get("", response=list[ImportJobOut], summary="My import jobs and those in my scope")
@paginate(PageNumberPagination)
def import_list(request: HttpRequest) -> object:
    return import_job_list(actor=request.user)


@router.get("/{int:job_id}", response=ImportJobOut, summary="Progress, counts and row errors of an import job")
def import_detail(request: HttpRequest, job_id: int) -> ImportJob:
    return import_job_get(actor=request.user, job_id=job_id)
