"""GeoJSON representations of the layers: explicit public fields only (public_fields.py)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geoportal.municipalities.models import Municipality
from layers.models import AdvertisingStructure, LandPlot, TemporaryStructure, ZoningZone
from layers.models.base import PermitState
from layers.public_fields import PUBLIC_FIELDS, public_business_code


class BusinessCodeField(serializers.CharField):
    """A company's ЄДРПОУ is shown; a person's РНОКПП (10 digits) is not."""

    def to_representation(self, value: Any) -> str:
        return public_business_code(value)


def _municipality() -> serializers.SlugRelatedField[Municipality]:
    return serializers.SlugRelatedField(slug_field="slug", read_only=True)


def _permit_state() -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=PermitState.choices, read_only=True)


class TemporaryStructureSerializer(GeoFeatureModelSerializer):
    municipality = _municipality()
    owner_code = BusinessCodeField(read_only=True)
    permit_state = _permit_state()

    class Meta:
        model = TemporaryStructure
        geo_field = "geometry"
        fields = ("id", "municipality", *PUBLIC_FIELDS["maf"], "permit_state")


class AdvertisingStructureSerializer(GeoFeatureModelSerializer):
    municipality = _municipality()
    distributor_code = BusinessCodeField(read_only=True)
    permit_state = _permit_state()

    class Meta:
        model = AdvertisingStructure
        geo_field = "geometry"
        fields = ("id", "municipality", *PUBLIC_FIELDS["advertising"], "permit_state")


class LandPlotSerializer(GeoFeatureModelSerializer):
    municipality = _municipality()

    class Meta:
        model = LandPlot
        geo_field = "geometry"
        fields = ("id", "municipality", *PUBLIC_FIELDS["land"])


class ZoningZoneSerializer(GeoFeatureModelSerializer):
    municipality = _municipality()

    class Meta:
        model = ZoningZone
        geo_field = "geometry"
        fields = ("id", "municipality", *PUBLIC_FIELDS["zoning"])


# identify: the same public fields without geometry, plus the distance for structures.


class PlotInfoSerializer(serializers.ModelSerializer[LandPlot]):
    class Meta:
        model = LandPlot
        fields = ("id", *PUBLIC_FIELDS["land"])


class ZoneInfoSerializer(serializers.ModelSerializer[ZoningZone]):
    class Meta:
        model = ZoningZone
        fields = ("id", *PUBLIC_FIELDS["zoning"])


class NearbyMafSerializer(serializers.ModelSerializer[TemporaryStructure]):
    owner_code = BusinessCodeField(read_only=True)
    permit_state = _permit_state()
    distance_m = serializers.FloatField(read_only=True)

    class Meta:
        model = TemporaryStructure
        fields = ("id", *PUBLIC_FIELDS["maf"], "permit_state", "distance_m")


class NearbyAdvertisingSerializer(serializers.ModelSerializer[AdvertisingStructure]):
    distributor_code = BusinessCodeField(read_only=True)
    permit_state = _permit_state()
    distance_m = serializers.FloatField(read_only=True)

    class Meta:
        model = AdvertisingStructure
        fields = ("id", *PUBLIC_FIELDS["advertising"], "permit_state", "distance_m")


class IdentifyQuerySerializer(serializers.Serializer[Any]):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)
    municipality = serializers.SlugField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        import math

        for name in ("lat", "lon"):
            if not math.isfinite(attrs[name]):
                raise serializers.ValidationError({name: "must be a finite number."})
        return attrs


class IdentifyResultSerializer(serializers.Serializer[Any]):
    plot = PlotInfoSerializer(allow_null=True)
    zone = ZoneInfoSerializer(allow_null=True)
    maf = NearbyMafSerializer(many=True)
    advertising = NearbyAdvertisingSerializer(many=True)
    radius_m = serializers.IntegerField()
