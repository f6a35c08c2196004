"""Base map tiles; included before the layer tiles, whose <layer> would take "base"."""

from django.urls import path

from geoportal.basemap import views

app_name = "basemap"

urlpatterns = [
    path("<int:z>/<int:x>/<int:y>.mvt", views.base_tile, name="tile-detail"),
]
