"""Staff pages of the 12345 / Open311 exchange, under /tickets/hotline/."""

from __future__ import annotations

from django.urls import URLPattern, path

from jishiyu.tickets import views_hotline

app_name = "tickets_hotline"

urlpatterns: list[URLPattern] = [
    path("sources/", views_hotline.source_list, name="source-list"),
    path("sources/<int:source_id>/keys/", views_hotline.source_rotate, name="source-rotate"),
    path("sources/<int:source_id>/toggle/", views_hotline.source_toggle, name="source-toggle"),
    path("callbacks/", views_hotline.callback_failing, name="callback-failing"),
    path("callbacks/<int:delivery_id>/retry/", views_hotline.callback_retry, name="callback-retry"),
]
