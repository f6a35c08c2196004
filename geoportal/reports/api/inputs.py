"""What the API accepts: the new report and the input of each action, field by field."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.request import Request

from geoportal.reports.intake import PHONE_PATTERN
from geoportal.reports.models.data import LocationSource
from geoportal.reports.states import RejectionGround


def plain_fields(request: Request) -> dict[str, Any]:
    """The request's fields except the photos, which the intake checks itself (all or none)
    and which must not be copied around."""
    data = request.data
    if not hasattr(data, "get"):
        raise serializers.ValidationError({"detail": _("Send an object of fields.")})
    sent = data.getlist("photos") if hasattr(data, "getlist") else [data.get("photos")]
    if any(photo not in (None, "", []) and not hasattr(photo, "read") for photo in sent):
        # Text where a file belongs (a path, a URL, JSON): never taken for a file.
        raise serializers.ValidationError(
            {"photos": [_("Send each photo as a file of a multipart/form-data request.")]}
        )
    return {key: data.get(key) for key in data if key != "photos"}


class ReportCreateSerializer(serializers.Serializer[Any]):
    """A new report (multipart/form-data, photos as repeated `photos` parts)."""

    category = serializers.CharField(max_length=64, help_text="Category code, e.g. lighting.")
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)
    lat = serializers.FloatField(
        required=False,
        help_text="Latitude (WGS 84) of the place the resident confirmed. Required with lon: "
        "a photo's GPS position is never used in their place (400, field `location`).",
    )
    lon = serializers.FloatField(required=False, help_text="Longitude (WGS 84); required.")
    location_source = serializers.ChoiceField(
        choices=LocationSource.choices,
        default=LocationSource.MAP,
        help_text="`photo` when the resident chose the place where a photo was taken (lat/lon "
        "are then that place, read by the client); `map` when tapped, typed or found.",
    )
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    reporter_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reporter_email = serializers.EmailField(required=False, allow_blank=True)
    reporter_phone = serializers.RegexField(
        PHONE_PATTERN, max_length=32, required=False, allow_blank=True
    )
    reporter_postal_address = serializers.CharField(
        max_length=300, required=False, allow_blank=True
    )
    show_name = serializers.BooleanField(default=False)
    is_formal_appeal = serializers.BooleanField(
        default=False, help_text="Treat as an appeal under the Law on citizens' appeals."
    )
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="Up to 5 JPEG, PNG or WebP."
    )


class ReportCreatedSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    state = serializers.CharField()
    tracking_code = serializers.CharField(
        help_text="Private: lets the reporter follow and dispute."
    )
    tracking_url = serializers.CharField()
    url = serializers.CharField()
    location_source = serializers.CharField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()


class Versioned(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="The version you read; a report changed since gives 409 instead of acting.",
    )


class ApproveInput(Versioned):
    department = serializers.CharField(
        required=False, help_text="Department code; the routing suggestion when left out."
    )


class RejectInput(Versioned):
    ground = serializers.ChoiceField(choices=RejectionGround.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class MarkDuplicateInput(Versioned):
    original = serializers.IntegerField(help_text="Number of the original report.")


class OutOfCompetenceInput(Versioned):
    competent_body = serializers.CharField(max_length=300)


class AcceptInput(Versioned):
    needs_study = serializers.BooleanField(default=False)


class ReasonInput(Versioned):
    reason = serializers.CharField(max_length=5000)


class PlanInput(Versioned):
    planned_for = serializers.DateField()
    justification = serializers.CharField(max_length=5000)


class ResolveInput(Versioned):
    answer = serializers.CharField(max_length=5000)
    photos = serializers.ListField(child=serializers.FileField(), required=False)


class ExtendInput(Versioned):
    new_due = serializers.DateField(help_text="The new answer date (ends 23:59 Kyiv time).")
    reason = serializers.CharField(max_length=5000)


class DisputeInput(Versioned):
    tracking_code = serializers.CharField(
        max_length=64, required=False, help_text="From the reporter's private link."
    )
    comment = serializers.CharField(max_length=5000)


class CommentInput(Versioned):
    text = serializers.CharField(max_length=5000)
    public = serializers.BooleanField(default=False)


class ReopenInput(Versioned):
    comment = serializers.CharField(max_length=5000)


class RedactInput(Versioned):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)


class HidePhotoInput(Versioned):
    photo = serializers.IntegerField()


class EmptyIsNone(serializers.IntegerField):
    """A number, where an empty form field (a select's "nobody") means none."""

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        return super().validate_empty_values(None if data == "" else data)


class AssignInput(Versioned):
    assignee = EmptyIsNone(
        required=False, allow_null=True, help_text="A person of the department; empty: nobody."
    )


class PersonInput(serializers.Serializer[Any]):
    email = serializers.EmailField(
        required=False, allow_blank=True, help_text="Needed when not signed in (follow)."
    )


class ActionResultSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    state = serializers.CharField()
    version = serializers.IntegerField()
    event = serializers.IntegerField(allow_null=True)


class ProblemSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    state = serializers.CharField(required=False)
    version = serializers.IntegerField(required=False)


class NearbyQuerySerializer(serializers.Serializer[Any]):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)
    category = serializers.CharField(max_length=64)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in ("lat", "lon"):
            if not math.isfinite(attrs[name]):
                raise serializers.ValidationError({name: _("Must be a finite number.")})
        attrs["point"] = Point(attrs["lon"], attrs["lat"], srid=4326)
        return attrs


class PhotoLocationSerializer(serializers.Serializer[Any]):
    photo = serializers.FileField()


class LocationSerializer(serializers.Serializer[Any]):
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
