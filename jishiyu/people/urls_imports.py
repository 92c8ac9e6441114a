"""Pages of spreadsheet imports (表格导入), mounted at /people/imports/."""

from __future__ import annotations

from django.urls import path

from jishiyu.people import views_imports as views

app_name = "people_imports"

urlpatterns = [
    path("", views.import_list, name="import-list"),
    path("<int:job_id>/", views.import_detail, name="import-detail"),
    path("<int:job_id>/progress/", views.import_progress, name="import-progress"),
    path("<int:job_id>/errors.xlsx", views.import_errors, name="import-errors"),
    path("templates/<str:kind>.xlsx", views.import_template, name="import-template"),
]
