"""The permit register's downloads (open data, anyone) and the permit statistics (the
coordinator and the permit department of the hromada)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.municipalities.models import Municipality
from geoportal.opendata.downloads import Download, respond
from geoportal.permits.register import DATASET
from geoportal.permits.roles import permit_kinds
from geoportal.permits.statistics import PermitStatistics, permit_statistics
from layers.exporting import FORMATS, download_responses

# Dates a statistic may be asked for: beyond them the arithmetic of dates runs out.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


class PermitExportView(APIView):
    """The public register of permit applications as open data: GeoJSON, CSV (UTF-8, WKT),
    GeoPackage or Shapefile (geoportal.permits.register: public fields only)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="permits_export",
        parameters=[
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=sorted(FORMATS)),
            OpenApiParameter("municipality", str, description="Slug of one hromada."),
        ],
        responses={
            **download_responses("The public fields of every registered application."),
            304: OpenApiResponse(description="Not modified: the client's copy (ETag) is current."),
            404: OpenApiResponse(description="Unknown municipality."),
        },
    )
    def get(self, request: Request, fmt: str) -> HttpResponseBase:
        slug = request.query_params.get("municipality", "")
        if slug:
            get_object_or_404(Municipality.objects.active(), slug=slug)
        return respond(request, Download(DATASET, slug), fmt)


class PermitStatisticsQuery(serializers.Serializer[Any]):
    municipality = serializers.SlugField(required=False, help_text="Default: your hromada.")
    start = serializers.DateField(
        required=False, help_text="Applications submitted from this day (Kyiv time)."
    )
    end = serializers.DateField(required=False, help_text="… up to and including this day.")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        for name in ("start", "end"):
            if name in data and not EARLIEST <= data[name] <= LATEST:
                raise serializers.ValidationError({name: _("Give a date from 1900 to 2999.")})
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise serializers.ValidationError({"end": _("The end is before the start.")})
        return data


class KindFiguresSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text="A kind of permit, or `total`.")
    name = serializers.CharField(help_text="The kind's name; empty in the total.")
    total = serializers.IntegerField(help_text="Applications submitted in the period.")
    by_state = serializers.DictField(
        child=serializers.IntegerField(), help_text="Of them, in each state now."
    )
    decided = serializers.IntegerField(help_text="Granted or refused after registration.")
    decided_on_time = serializers.IntegerField()
    share_on_time = serializers.FloatField(allow_null=True)
    deadline_working_days = serializers.IntegerField(
        allow_null=True, help_text="Registration → decision: check + decision working days."
    )
    median_working_days = serializers.FloatField(allow_null=True)
    mean_working_days = serializers.FloatField(allow_null=True)
    max_working_days = serializers.IntegerField(allow_null=True)
    refused_by_reason = serializers.DictField(child=serializers.IntegerField())


class PermitStatisticsSerializer(serializers.Serializer[Any]):
    municipality = serializers.CharField()
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    kinds = KindFiguresSerializer(many=True)
    total = KindFiguresSerializer()


def as_body(figures: PermitStatistics) -> dict[str, Any]:
    return {
        "municipality": figures.municipality,
        "start": figures.start,
        "end": figures.end,
        "kinds": [row.as_dict() for row in figures.kinds],
        "total": figures.total.as_dict(),
    }


class WorksOnPermits(BasePermission):
    """The coordinator and the permit department's staff (of some kind), signed in."""

    message = gettext_lazy(
        "The permit statistics are for the coordinator and the permit department."
    )

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(permit_kinds(request.user))


def own_hromada(user: Any, slug: str | None) -> Municipality:
    """The hromada asked for, which must be the person's own: another hromada's figures are
    refused (403), an unknown hromada is not found (404)."""
    municipality = get_object_or_404(
        Municipality.objects.active(), slug=slug or user.municipality.slug
    )
    if municipality.pk != user.municipality_id:
        raise PermissionDenied(_("These are another hromada's statistics."))
    return municipality


class PermitStatisticsView(APIView):
    """Applications by kind × state, the time from registration to decision in working days
    against the deadline, and refusals by ground (geoportal.permits.statistics)."""

    permission_classes = [IsAuthenticated, WorksOnPermits]

    @extend_schema(
        parameters=[PermitStatisticsQuery],
        responses={
            200: PermitStatisticsSerializer,
            400: OpenApiResponse(description="A parameter is wrong; the answer names it."),
            403: OpenApiResponse(description="Not the coordinator or the permit department."),
            404: OpenApiResponse(description="Unknown municipality."),
        },
    )
    def get(self, request: Request) -> Response:
        query = PermitStatisticsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        municipality = own_hromada(request.user, data.get("municipality"))
        kinds = permit_kinds(request.user)
        figures = permit_statistics(municipality, data.get("start"), data.get("end"), kinds)
        return Response(PermitStatisticsSerializer(as_body(figures)).data)
