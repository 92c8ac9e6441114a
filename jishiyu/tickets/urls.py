from __future__ import annotations

from django.urls import path

from jishiyu.tickets import views

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
]
