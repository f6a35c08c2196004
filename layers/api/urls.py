"""Layer API under /api/v1/: features as GeoJSON, exports, identify, passports."""

from django.urls import path

from layers.api import exports, features

urlpatterns = [
    path("layers/<str:layer>/", features.LayerFeatureList.as_view(), name="layer-list"),
    path(
        "layers/<str:layer>/export.<str:fmt>",
        exports.LayerExportView.as_view(),
        name="layer-export",
    ),
    path("identify/", features.IdentifyView.as_view(), name="identify"),
]
