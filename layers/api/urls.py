"""Layer API under /api/v1/: features as GeoJSON, exports, identify."""

from django.urls import path

from layers.api import exports, features, passports

urlpatterns = [
    path("layers/", passports.LayerPassportList.as_view(), name="layer-list"),
    path("layers/maf/", features.TemporaryStructureList.as_view(), name="layer-maf"),
    path(
        "layers/advertising/",
        features.AdvertisingStructureList.as_view(),
        name="layer-advertising",
    ),
    path("layers/land/", features.LandPlotList.as_view(), name="layer-land"),
    path("layers/zoning/", features.ZoningZoneList.as_view(), name="layer-zoning"),
    path(
        "layers/<str:layer>/export.<str:fmt>",
        exports.LayerExportView.as_view(),
        name="layer-export",
    ),
    path("layers/<str:layer>/", features.UnknownLayer.as_view(), name="layer-unknown"),
    path("identify/", features.IdentifyView.as_view(), name="identify"),
]
