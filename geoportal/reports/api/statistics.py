"""Statistics of the procedure, the monthly control report (counts only) and the public
reports as an open data set."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.municipalities.models import Municipality
from geoportal.opendata.downloads import Download, respond
from geoportal.reports.exports import to_csv, to_xlsx
from geoportal.reports.statistics import GROUPINGS, current_statistics
from layers.exporting import FORMATS, download_responses

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StatisticsQuery(serializers.Serializer[Any]):
    municipality = serializers.SlugField(required=False, help_text="Default: the main hromada.")
    month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$", required=False, help_text="YYYY-MM; all time when left out."
    )
    by = serializers.ChoiceField(choices=sorted(GROUPINGS), default="department")

    def parsed(self) -> tuple[Municipality, date | None, str]:
        data = self.validated_data
        slug = data.get("municipality") or settings.DEFAULT_MUNICIPALITY
        municipality = get_object_or_404(Municipality.objects.active(), slug=slug)
        month = None
        if data.get("month"):
            try:
                month = datetime.strptime(data["month"], "%Y-%m").date()
            except ValueError:  # e.g. the year 0000
                raise serializers.ValidationError(
                    {"month": "Give a real month, YYYY-MM."}
                ) from None
        return municipality, month, data["by"]


class StatisticsRowSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    name = serializers.CharField()
    received = serializers.IntegerField()
    approved = serializers.IntegerField()
    rejected = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    out_of_competence = serializers.IntegerField()
    routed = serializers.IntegerField()
    returned = serializers.IntegerField()
    resolved = serializers.IntegerField()
    not_resolved = serializers.IntegerField()
    overdue_now = serializers.IntegerField()
    overdue_ever = serializers.IntegerField()
    answered = serializers.IntegerField()
    answered_on_time = serializers.IntegerField()
    share_on_time = serializers.FloatField(allow_null=True)
    median_hours_to_moderation = serializers.FloatField(allow_null=True)
    median_hours_to_acknowledgement = serializers.FloatField(allow_null=True)
    median_hours_to_answer = serializers.FloatField(allow_null=True)
    rejected_by_ground = serializers.DictField(child=serializers.IntegerField())


class StatisticsSerializer(serializers.Serializer[Any]):
    municipality = serializers.CharField()
    month = serializers.CharField(allow_null=True)
    by = serializers.CharField()
    computed_at = serializers.DateTimeField(help_text="When these figures were computed.")
    rows = StatisticsRowSerializer(many=True)


class StatisticsView(APIView):
    """Counts, on-time share and median times by department or category (last row: total)."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[StatisticsQuery], responses={200: StatisticsSerializer})
    def get(self, request: Request) -> Response:
        query = StatisticsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        municipality, month, by = query.parsed()
        rows, computed = current_statistics(municipality, month, by)
        body = {
            "municipality": municipality.slug,
            "month": query.validated_data.get("month"),
            "by": by,
            "computed_at": computed,
            "rows": [row.as_dict() for row in rows],
        }
        return Response(StatisticsSerializer(body).data)


class StatisticsExportView(APIView):
    """The monthly control report: CSV (by the chosen grouping) or XLSX (both groupings)."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[StatisticsQuery],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="CSV (UTF-8)"),
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="Excel workbook"),
        },
    )
    def get(self, request: Request, fmt: str) -> HttpResponse:
        query = StatisticsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        municipality, month, by = query.parsed()
        stem = (
            f"control-report-{municipality.slug}-{month:%Y-%m}"
            if month
            else (f"control-report-{municipality.slug}")
        )
        if fmt == "csv":
            response = HttpResponse(
                to_csv(current_statistics(municipality, month, by)[0]),
                content_type="text/csv; charset=utf-8",
            )
            response["Content-Disposition"] = f'attachment; filename="{stem}-{by}.csv"'
            return response
        title = _("Reports of %(name)s: control of deadlines") % {"name": municipality.name}
        sheets = {
            _("By department"): current_statistics(municipality, month, "department")[0],
            _("By category"): current_statistics(municipality, month, "category")[0],
        }
        response = HttpResponse(
            to_xlsx(sheets, title, month),
            content_type=XLSX,
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response


class ReportExportView(APIView):
    """The public reports as open data: GeoJSON, CSV (UTF-8, WKT), GeoPackage or Shapefile."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="reports_export",
        parameters=[
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=sorted(FORMATS)),
            OpenApiParameter("municipality", str, description="Slug of one hromada."),
        ],
        responses={
            **download_responses("The public fields of every public report."),
            304: OpenApiResponse(description="Not modified: the client's copy (ETag) is current."),
            404: OpenApiResponse(description="Unknown municipality."),
        },
    )
    def get(self, request: Request, fmt: str) -> HttpResponseBase:
        slug = request.query_params.get("municipality", "")
        if slug:
            get_object_or_404(Municipality.objects.active(), slug=slug)
        return respond(request, Download("reports", slug), fmt)
