from __future__ import annotations

from django.urls import path

from jishiyu.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("export.xlsx", views.export, name="figures-export"),
]
