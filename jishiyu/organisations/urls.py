from __future__ import annotations

from django.urls import path

from jishiyu.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="organisation-list"),
    path("export.xlsx", views.organisation_export, name="organisation-export"),
    path("<int:organisation_id>/", views.organisation_detail, name="organisation-detail"),
]
