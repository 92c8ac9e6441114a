"""Pages of spreadsheet imports (表格导入): upload, my jobs, a job's progress and errors. Thin:
every rule lives in jishiyu.core.imports and the importers."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from jishiyu.core.errors import DomainError, NotFound
from jishiyu.core.exports import XLSX_CONTENT_TYPE
from jishiyu.core.imports import (
    import_errors_xlsx,
    import_job_create,
    import_job_get,
    import_job_list,
    import_template_xlsx,
    importers,
)
from jishiyu.core.models import ImportJob
from jishiyu.core.pages import page_for
from jishiyu.core.scope import holds_anywhere
from jishiyu.people.permissions import may_import

JOBS_SHOWN = 50


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to import"))
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def __init__(self, *args: object, kinds: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]


def _kinds(user: object) -> list[tuple[str, str]]:
    return [
        (kind, str(cls.label))
        for kind, cls in importers().items()
        if holds_anywhere(user, cls.permission)  # type: ignore[arg-type]
    ]


def _job(request: HttpRequest, job_id: int) -> ImportJob:
    try:
        return import_job_get(actor=request.user, job_id=job_id)
    except NotFound:
        raise Http404 from None


@page_for(may_import)
def import_list(request: HttpRequest) -> HttpResponse:
    """导入: the upload form and my jobs."""
    kinds = _kinds(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and kinds and form.is_valid():
        try:
            job = import_job_create(
                actor=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
        except DomainError as exc:
            for field, messages in exc.errors.items() or {None: [exc.message]}.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, str(message))
        else:
            return redirect("people_imports:import-detail", job_id=job.pk)
    jobs = import_job_list(actor=request.user)[:JOBS_SHOWN]
    status = 400 if request.method == "POST" else 200
    return render(request, "people/imports/list.html", {"form": form, "kinds": kinds, "jobs": jobs}, status=status)


@login_required
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """导入任务."""
    return render(request, "people/imports/detail.html", {"job": _job(request, job_id)})


@login_required
def import_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """导入进度 (htmx partial, polled every second until the job finishes)."""
    return render(request, "people/imports/_progress.html", {"job": _job(request, job_id)})


@login_required
def import_errors(request: HttpRequest, job_id: int) -> HttpResponse:
    """错误报告 (.xlsx)."""
    job = _job(request, job_id)
    response = HttpResponse(import_errors_xlsx(job), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.xlsx"'
    return response


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """导入模板 (.xlsx)."""
    if kind not in importers():
        raise Http404
    response = HttpResponse(import_template_xlsx(kind), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="import-{kind}-template.xlsx"'
    return response
