from __future__ import annotations

from django.urls import path

from jishiyu.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("m/<slug:slug>/", views.module_detail, name="module-detail"),
    path("requests/", views.request_list, name="request-list"),
    path("messages/", views.message_list, name="message-list"),
    path("me/", views.profile_detail, name="profile-detail"),
    path("display/", views.display_update, name="display-update"),
]
