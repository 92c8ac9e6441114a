from __future__ import annotations

from django.urls import path

from jishiyu.tickets import views, views_dashboard, views_settings

app_name = "tickets"

urlpatterns = [
    path("", views.ticket_list, name="ticket-list"),
    path("new/", views.ticket_create, name="ticket-create"),
    path("report/", views.ticket_report, name="ticket-report"),
    path("mine/", views.mine_list, name="mine-list"),
    path("mine/<int:pk>/", views.mine_detail, name="mine-detail"),
    path("map/", views.ticket_map, name="ticket-map"),
    path("map/data/", views.ticket_map_data, name="ticket-map-data"),
    path("bulk-dispatch/", views.ticket_bulk_dispatch, name="ticket-bulk-dispatch"),
    path("<int:pk>/", views.ticket_detail, name="ticket-detail"),
    # routing and figures
    path("dashboard/", views_dashboard.dashboard, name="figures-dashboard"),
    path("dashboard/tickets/", views_dashboard.figure_tickets, name="figures-tickets"),
    path("routing/rules/", views_dashboard.rule_list, name="routing-rules"),
    path("routing/rules/<int:pk>/delete/", views_dashboard.rule_delete, name="routing-rule-delete"),
    # photos (scoped like their ticket) and merging a suspected duplicate
    path("<int:pk>/photos/<int:photo_id>/", views.photo_file, name="photo-file"),
    path("<int:pk>/photos/add/", views.photo_add, name="photo-add"),
    path("<int:pk>/merge/", views.ticket_merge_into, name="ticket-merge"),
    # the district's settings: catalogue, time limits, holidays
    path("settings/", views_settings.settings_home, name="settings"),
    path("settings/categories/", views_settings.category_list, name="settings-categories"),
    path("settings/categories/new/", views_settings.category_edit, name="settings-category-create"),
    path("settings/categories/<int:pk>/", views_settings.category_edit, name="settings-category-edit"),
    path("settings/time-limits/", views_settings.time_limit_list, name="settings-time-limits"),
    path("settings/time-limits/new/", views_settings.time_limit_edit, name="settings-time-limit-create"),
    path("settings/time-limits/<int:pk>/", views_settings.time_limit_edit, name="settings-time-limit-edit"),
    path("settings/time-limits/<int:pk>/delete/", views_settings.time_limit_delete, name="settings-time-limit-delete"),
    path("settings/holidays/", views_settings.holiday_list, name="settings-holidays"),
    path("settings/holidays/new/", views_settings.holiday_edit, name="settings-holiday-create"),
    path("settings/holidays/<int:pk>/", views_settings.holiday_edit, name="settings-holiday-edit"),
    path("settings/holidays/<int:pk>/delete/", views_settings.holiday_delete, name="settings-holiday-delete"),
]
