"""The report API: the public map list, one report, filing a report, and the helpers
a resident uses before filing (duplicates nearby, a photo's GPS position).

Filing, support and a photo's position are rate-limited per device, session and account
and, more generously, per address (geoportal.core.ratelimit). A retried filing whose
Idempotency-Key this client already used is answered from the first report before any
limit is counted: a client that lost the answer learns its report's number at once.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from geoportal.core import ratelimit
from geoportal.core.clients import idempotency_owner
from geoportal.core.filters import CheckedInBBoxFilter
from geoportal.core.pagination import GeoPagination
from geoportal.core.parsers import JSONParser
from geoportal.reports.api import inputs
from geoportal.reports.api.actions import ReportActions
from geoportal.reports.api.filters import ReportFilter
from geoportal.reports.api.serializers import (
    ReportDetailSerializer,
    ReportFeatureSerializer,
    StaffReportSerializer,
)
from geoportal.reports.intake import (
    Submission,
    find_category,
    find_municipality,
    idempotency_key,
    place_problems,
    submit,
)
from geoportal.reports.models import Report
from geoportal.reports.photos import read_location

IDEMPOTENCY_HEADER = "Idempotency-Key"


def can_work_on(report: Report, user: Any) -> bool:
    """Staff who work on this report see its private parts."""
    return Report.objects.staff_scope(user).filter(pk=report.pk).exists()


# Filing is limited in `create` itself: a replay is answered before the limit is counted.
THROTTLED_ACTIONS = {"support": "support", "photo_location": "photo_location"}
# A photo and the multipart form around it: a larger request is refused before it is read.
FORM_OVERHEAD = 64 * 1024


class ReportViewSet(
    ReportActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Report],
):
    """Reports of the Open City procedure.

    The list is a GeoJSON FeatureCollection of public reports (staff also get the reports
    they work on); a report's private parts (reporter contact, internal events) go only to
    staff who work on it.
    """

    permission_classes = [AllowAny]  # each action's own rule is checked by the model
    filter_backends = [DjangoFilterBackend, CheckedInBBoxFilter]
    filterset_class = ReportFilter
    bbox_filter_field = "point"
    pagination_class = GeoPagination
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Report]:
        user = self.request.user
        reports = Report.objects.select_related("municipality", "category", "department")
        if self.action == "list":
            return self._listed(reports).order_by("-created_at", "-pk")
        return reports.visible_to(user)

    def _listed(self, reports: Any) -> QuerySet[Report]:
        user = self.request.user
        if "state" in self.request.query_params:
            public = reports.public_listing()
        else:
            public = reports.public()
        if not user.is_authenticated:
            return public
        return (public | reports.staff_scope(user)).distinct()

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action == "list":
            return ReportFeatureSerializer
        return ReportDetailSerializer

    @extend_schema(
        responses={200: ReportDetailSerializer},
        description="The public view; staff who work on the report get StaffReportSerializer.",
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = self.get_object()
        return Response(self.represent(report))

    def represent(self, report: Report) -> dict[str, Any]:
        if can_work_on(report, self.request.user):
            report = Report.objects.prefetch_related(
                "photos", "events__actor", "events__photos"
            ).get(pk=report.pk)
            return StaffReportSerializer(report).data
        return ReportDetailSerializer(report).data

    @property
    def throttle_scope(self) -> str:
        """Support and a photo's position are rate-limited per client and address
        (RATE_SUPPORT, RATE_PHOTO_LOCATION and their _ADDRESS ceilings)."""
        return THROTTLED_ACTIONS.get(getattr(self, "action", None) or "", "")

    @extend_schema(
        request={"multipart/form-data": inputs.ReportCreateSerializer},
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                location=OpenApiParameter.HEADER,
                required=False,
                description="A key unique to this submission; a retry with it returns the "
                "first report instead of making a second one, before any rate limit is "
                "counted. Keys are the client's own (its device, account, session or "
                "address): another client's key makes a new report. The same key with "
                "other content is refused with 422.",
            )
        ],
        responses={201: inputs.ReportCreatedSerializer, 200: inputs.ReportCreatedSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """File a report at the place the resident confirmed (lat/lon, required); a photo's
        GPS position is only used when the client sent it as lat/lon itself."""
        key = idempotency_key(request.headers.get(IDEMPOTENCY_HEADER, ""))
        owner = idempotency_owner(request) if key else ""
        if not (key and Report.objects.filed_with_key(owner, key).exists()):
            ratelimit.enforce(request, "report")  # RATE_REPORT, RATE_REPORT_ADDRESS
        # Files are checked by the intake (all or none), not copied through the serializer.
        given = inputs.ReportCreateSerializer(data=inputs.plain_fields(request))
        if not given.is_valid():
            # Tell every problem at once: a place outside the city too, not only the fields.
            raise ValidationError({**place_problems(request.data), **given.errors})
        fields = dict(given.validated_data)
        fields["photos"] = request.FILES.getlist("photos")
        report, created = submit(
            Submission(
                **fields,
                language=(request.LANGUAGE_CODE or "uk")[:2],
                user=request.user,
                idempotency_key=key,
                idempotency_owner=owner,
            )
        )
        body = inputs.ReportCreatedSerializer(
            {
                "id": report.pk,
                "state": report.state,
                "tracking_code": report.tracking_code,
                "tracking_url": report.tracking_url,
                "url": report.public_url,
                "location_source": report.location_source,
                "lat": report.point.y,
                "lon": report.point.x,
            }
        ).data
        response = Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
        if not created:
            response["Idempotent-Replayed"] = "true"
        return response

    @extend_schema(
        parameters=[
            OpenApiParameter("lat", float, required=True),
            OpenApiParameter("lon", float, required=True),
            OpenApiParameter("category", str, required=True, description="Category code."),
        ],
        responses={200: ReportFeatureSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="nearby", pagination_class=None)
    def nearby(self, request: Request) -> Response:
        """Open public reports of the same category within 50 m: support one instead?"""
        query = inputs.NearbyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        point = query.validated_data["point"]
        category = find_category(find_municipality(point), query.validated_data["category"])
        found = Report.objects.nearby_open(point, category).select_related(
            "municipality", "category", "department"
        )
        return Response(ReportFeatureSerializer(found[:20], many=True).data)

    @extend_schema(
        request={"multipart/form-data": inputs.PhotoLocationSerializer},
        responses={200: inputs.LocationSerializer},
    )
    @action(detail=False, methods=["post"], url_path="photo-location")
    def photo_location(self, request: Request) -> Response:
        """The GPS position in a photo's EXIF, for clients that cannot read it themselves
        (the report form reads it in the browser); the photo is checked like any upload
        (size, type, pixels), its EXIF read without decoding it, and it is not kept."""
        limit = settings.REPORT_PHOTO_MAX_BYTES
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit + FORM_OVERHEAD:
            # Refused before Django would write the upload to a temporary file.
            too_big = _("The photo is larger than %(size).1f MB.") % {"size": limit / 1024 / 1024}
            return Response({"photo": [too_big]}, status=413)
        upload = request.FILES.get("photo")
        if upload is None:
            return Response({"photo": [_("This field is required.")]}, status=400)
        gps = read_location(upload, upload.name or "photo", field="photo")
        lat, lon = gps if gps else (None, None)
        return Response({"lat": lat, "lon": lon})
