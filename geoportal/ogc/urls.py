"""OGC API – Features at /ogc/ (the paths of the standard, without trailing slashes)."""

from django.urls import path

from geoportal.ogc import views

app_name = "ogc"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("api", views.api, name="api"),
    path("conformance", views.conformance, name="conformance"),
    path("collections", views.collections, name="collection-list"),
    path("collections/<str:collection_id>", views.collection, name="collection-detail"),
    path("collections/<str:collection_id>/items", views.items, name="item-list"),
    path("collections/<str:collection_id>/items/<str:feature_id>", views.item, name="item-detail"),
]
