"""Read-only API of municipalities, departments and categories."""

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import viewsets

from geoportal.municipalities.api.serializers import (
    CategorySerializer,
    DepartmentSerializer,
    MunicipalitySerializer,
)
from geoportal.municipalities.models import Category, Department, Municipality


class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    """Municipalities with their boundaries as a GeoJSON FeatureCollection."""

    serializer_class = MunicipalitySerializer
    lookup_field = "slug"
    pagination_class = None

    def get_queryset(self) -> QuerySet[Municipality]:
        return Municipality.objects.active().order_by("slug")


class ByMunicipality(filters.FilterSet):
    municipality = filters.CharFilter(
        field_name="municipality__slug", help_text="Slug of the municipality, e.g. pokrovsk."
    )


class DepartmentFilter(ByMunicipality):
    class Meta:
        model = Department
        fields = ("municipality",)


class CategoryFilter(ByMunicipality):
    class Meta:
        model = Category
        fields = ("municipality",)


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Active departments; filter with ?municipality=<slug>."""

    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter
    pagination_class = None

    def get_queryset(self) -> QuerySet[Department]:
        return (
            Department.objects.active()
            .filter(municipality__is_active=True)
            .select_related("municipality")
            .order_by("municipality__slug", "code")
        )


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Active problem categories; filter with ?municipality=<slug>."""

    serializer_class = CategorySerializer
    filterset_class = CategoryFilter
    pagination_class = None

    def get_queryset(self) -> QuerySet[Category]:
        return (
            Category.objects.active()
            .filter(municipality__is_active=True)
            .select_related("municipality", "parent")
            .order_by("municipality__slug", "sort_order", "code")
        )
