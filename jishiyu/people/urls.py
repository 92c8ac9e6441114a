"""Staff pages of the people app (/people/)."""

from __future__ import annotations

from django.urls import path

from jishiyu.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person-list"),
    path("new/", views.person_create, name="person-create"),
    path("export/", views.person_export, name="person-export"),
    path("awaiting/", views.person_awaiting, name="person-awaiting"),
    path("<int:person_id>/", views.person_detail, name="person-detail"),
    path("<int:person_id>/edit/", views.person_update, name="person-update"),
    path("<int:person_id>/verify/", views.person_verify, name="person-verify"),
    path("<int:person_id>/reveal/<str:field>/", views.person_reveal, name="person-reveal"),
]
