"""Vector tiles: /tiles/<layer>/<z>/<x>/<y>.mvt."""

from django.urls import path

from layers.tiles import views

app_name = "tiles"

urlpatterns = [
    path("<str:layer>/<int:z>/<int:x>/<int:y>.mvt", views.tile, name="tile-detail"),
]
