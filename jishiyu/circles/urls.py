from __future__ import annotations

from django.urls import path

from jishiyu.circles import views

app_name = "circles"

urlpatterns = [
    path("", views.coverage_map, name="coverage-map"),
    path("runs/", views.run_create, name="run-create"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("me/", views.near_me, name="near-me"),
    path("catalogue/", views.catalogue, name="catalogue-list"),
    path("catalogue/<int:pk>/", views.category_edit, name="category-edit"),
    path("facilities/", views.facility_list, name="facility-list"),
    path("facilities/<int:pk>/", views.facility_edit, name="facility-edit"),
]
