"""Pages of resident self-service (个人信息保护法), mounted at /me/."""

from __future__ import annotations

from django.urls import path

from jishiyu.people import views_me as views

app_name = "people_me"

urlpatterns = [
    path("data/", views.data_show, name="data-show"),
    path("consents/<slug:purpose>/", views.consent_set, name="consent-set"),
    path("requests/", views.request_create, name="request-create"),
    path("staff/requests/", views.staff_request_list, name="request-staff-list"),
    path("staff/requests/<int:request_id>/", views.staff_request_handle, name="request-handle"),
]
