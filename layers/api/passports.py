"""/api/v1/layers/: the layers of each hromada with their open-data passports."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django_filters import rest_framework as filters
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from geoportal.municipalities.models import Municipality
from layers.models import LayerPassport


class PassportSerializer(serializers.ModelSerializer[LayerPassport]):
    municipality: serializers.SlugRelatedField[Municipality] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # type: ignore[var-annotated]
    update_overdue = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = LayerPassport
        fields = (
            "layer", "municipality", "name_uk", "name_en", "description_uk", "description_en",
            "department", "update_frequency", "last_updated_at", "update_overdue", "licence",
            "links",
        )  # fmt: skip

    def get_update_overdue(self, passport: LayerPassport) -> bool:
        return passport.is_update_overdue()

    def get_links(self, passport: LayerPassport) -> dict[str, str]:
        """Where the layer's data is: GeoJSON API, tiles and downloads of this hromada."""
        scope = f"?municipality={passport.municipality.slug}"
        links = {
            "features": reverse(f"api:layer-{passport.layer}") + scope,
            "tiles": f"/tiles/{passport.layer}/{{z}}/{{x}}/{{y}}.mvt{scope}",
        }
        for fmt in ("geojson", "gpkg", "shp", "csv"):
            url = reverse("api:layer-export", kwargs={"layer": passport.layer, "fmt": fmt})
            links[fmt] = url + scope
        return links


class PassportFilter(filters.FilterSet):
    municipality = filters.CharFilter(field_name="municipality__slug")

    class Meta:
        model = LayerPassport
        fields = ("municipality", "layer")


class LayerPassportList(generics.ListAPIView):
    """Every layer of every hromada with its passport and an "update overdue" flag."""

    permission_classes = [AllowAny]
    serializer_class = PassportSerializer
    filterset_class = PassportFilter
    pagination_class = None

    def get_queryset(self) -> QuerySet[Any]:
        return (
            LayerPassport.objects.filter(municipality__is_active=True)
            .select_related("municipality", "department")
            .order_by("municipality__slug", "layer")
        )
