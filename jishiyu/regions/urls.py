from __future__ import annotations

from django.urls import URLPattern, path

from jishiyu.regions import tiles, views

app_name = "regions"

urlpatterns: list[URLPattern] = [
    path("", views.region_list, name="region-list"),
    path("export.xlsx", views.region_export, name="region-export"),
    path("lookup/", views.address_lookup, name="address-lookup"),
    path("map/tiles.pmtiles", tiles.pmtiles_file, name="map-tiles"),
    path("<int:pk>/", views.region_list, name="region-detail"),
    path("<int:pk>/export.xlsx", views.region_export, name="region-children-export"),
    path("<int:pk>/buildings.xlsx", views.building_export, name="building-export"),
    path("buildings/<int:pk>/", views.building_detail, name="building-detail"),
    path("buildings/<int:pk>/dwellings.xlsx", views.dwelling_export, name="dwelling-export"),
]
