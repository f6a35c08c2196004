from django.urls import path

from geoportal.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.catalog_page, name="catalog-page"),
    path("catalog.json", views.catalog_json, name="catalog-json"),
]
