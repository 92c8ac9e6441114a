from __future__ import annotations

from django.urls import path

from jishiyu.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("read-all/", views.notification_read_all_view, name="notification-read-all"),
    path("<int:notification_id>/read/", views.notification_read_view, name="notification-read"),
    path("outbox/", views.outbox_view, name="outbox-list"),
]
