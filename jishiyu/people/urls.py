"""Staff pages of the people app (/people/)."""

from __future__ import annotations

from django.urls import path

from jishiyu.people import views, views_households

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
    path("households/", views_households.household_list, name="household-list"),
    path("households/new/", views_households.household_create, name="household-create"),
    path("households/<int:household_id>/", views_households.household_detail, name="household-detail"),
    path(
        "households/<int:household_id>/members/add/",
        views_households.household_member_add,
        name="household-member-add",
    ),
    path(
        "households/<int:household_id>/members/<int:person_id>/relation/",
        views_households.household_member_update,
        name="household-member-update",
    ),
    path(
        "households/<int:household_id>/members/<int:person_id>/remove/",
        views_households.household_member_remove,
        name="household-member-remove",
    ),
]
