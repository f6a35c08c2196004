"""POST /api/v1/permits/precheck/: the automatic pre-check (geoportal.permits.precheck) of a
site before the application is sent, as the form shows it live. Nothing is stored; the same
check runs again at submission and is kept with the application.

Open to anyone, like the report form's helpers, and rate-limited per client and address
(RATE_PERMIT_PRECHECK, RATE_PERMIT_PRECHECK_ADDRESS): each call runs a few spatial queries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.core.parsers import JSONParser
from geoportal.municipalities.models import Municipality
from geoportal.permits.intake import plain
from geoportal.permits.precheck import run_precheck
from geoportal.permits.sites import site_from_geojson
from geoportal.permits.states import Kind, PrecheckLevel


class PrecheckInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Kind.choices)
    municipality = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Municipality.objects.active(),
        help_text="Slug of the hromada applied to.",
        error_messages={"does_not_exist": _("No hromada with the slug “{value}”.")},
    )
    site = serializers.JSONField(help_text="GeoJSON Point, or Polygon (the footprint).")
    area_m2 = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("99999.99"),
        required=False,
        allow_null=True,
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        try:
            data["site"] = site_from_geojson(data["kind"], data["site"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return data


class FindingOutput(serializers.Serializer[Any]):
    code = serializers.CharField()
    level = serializers.ChoiceField(choices=PrecheckLevel.choices)
    message = serializers.CharField(help_text="In the language of Accept-Language.")
    details = serializers.DictField(help_text="The figures behind the message.")


class PrecheckOutput(serializers.Serializer[Any]):
    level = serializers.ChoiceField(choices=PrecheckLevel.choices, help_text="The worst finding's.")
    findings = FindingOutput(many=True)


class PrecheckView(APIView):
    """The findings for a site: pass, warning (the officer weighs it) or blocker."""

    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    throttle_scope = "permit_precheck"

    @extend_schema(
        request=PrecheckInput,
        responses={200: PrecheckOutput},
        examples=[
            OpenApiExample(
                "A terrace by a café",
                request_only=True,
                value={
                    "kind": "terrace",
                    "municipality": "pokrovsk",
                    "site": {"type": "Point", "coordinates": [37.1772, 48.2771]},
                    "area_m2": 24,
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        given = PrecheckInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        result = run_precheck(
            data["kind"], data["site"], data["municipality"], area_m2=data.get("area_m2")
        )
        return Response(plain(result.as_json()))
