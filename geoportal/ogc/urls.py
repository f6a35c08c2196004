"""OGC API – Features at /ogc/ (the paths of the standard, without trailing slashes). The
items and an item answer every method through geoportal/ogc/transactions.py, which hands
GET and HEAD to the read-only views."""

from django.urls import path

from geoportal.ogc import transactions, views

app_name = "ogc"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("api", views.api, name="api"),
    path("conformance", views.conformance, name="conformance"),
    path("collections", views.collections, name="collection-list"),
    path("collections/<str:collection_id>", views.collection, name="collection-detail"),
    path("collections/<str:collection_id>/items", transactions.items_endpoint, name="item-list"),
    path(
        "collections/<str:collection_id>/items/<str:feature_id>",
        transactions.item_endpoint,
        name="item-detail",
    ),
]
