"""Explicit API representations of the reference data."""

from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geoportal.municipalities.models import Category, Department, Municipality


class MunicipalitySerializer(GeoFeatureModelSerializer):
    centre = serializers.SerializerMethodField()

    class Meta:
        model = Municipality
        geo_field = "boundary"
        id_field = "slug"
        fields = (
            "slug",
            "name_uk",
            "name_en",
            "oblast_uk",
            "oblast_en",
            "katotth",
            "katotth_hromada",
            "centre",
            "boundary_is_approximate",
            "boundary_source",
            "boundary_updated_at",
        )

    def get_centre(self, obj: Municipality) -> list[float]:
        """Centre as [longitude, latitude], the GeoJSON order."""
        return [obj.centre.x, obj.centre.y]


class DepartmentSerializer(serializers.ModelSerializer[Department]):
    municipality: serializers.SlugRelatedField[Municipality] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Department
        fields = ("id", "municipality", "code", "name_uk", "name_en", "email", "is_demo")


class CategorySerializer(serializers.ModelSerializer[Category]):
    municipality: serializers.SlugRelatedField[Municipality] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    # DRF pops declared fields off the class, so this does not shadow Field.parent at run time.
    parent: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = Category
        fields = (
            "id",
            "municipality",
            "code",
            "name_uk",
            "name_en",
            "icon",
            "parent",
            "linked_layer",
        )
