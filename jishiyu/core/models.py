"""Models of the shared kernel: spreadsheet import jobs (导入任务), used by every app's importers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """导入任务: one uploaded spreadsheet and what became of each of its rows."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=32)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    created = models.PositiveIntegerField(_("rows created"), default=0)
    updated = models.PositiveIntegerField(_("rows updated"), default=0)
    unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)
    failed = models.PositiveIntegerField(_("rows failed"), default=0)
    # [{"row": 3, "column": "证件号码", "message": "..."}]; never a plain id or phone number.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # [{"row": 3, "cells": ["王秀英", "", "3201**********1234", "139****0001", ...]}]: each refused row's cells in
    # the importer's column order, id numbers and phones masked, for the error report.
    failed_rows = models.JSONField(_("failed rows"), default=list, blank=True)
    message = models.CharField(_("summary"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The uploader's scope for the kind's permission when the job was made: staff whose scope
    # covers it see the job too.
    region_path = models.CharField(_("region"), max_length=255, blank=True, db_index=True)
    # The uploader's language: the worker writes the reasons a row is refused in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status in (self.Status.DONE, self.Status.FAILED) else 0
        return min(100, round(100 * self.processed / self.total_rows))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
