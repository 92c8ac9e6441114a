from __future__ import annotations

from django.urls import path

from jishiyu.tickets import views, views_dashboard

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
]
