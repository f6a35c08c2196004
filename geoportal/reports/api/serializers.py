"""Explicit representations of reports: public (no personal data, public events only)
and staff (contact, clocks, spatial context, every event) — never one with a switch."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geoportal.reports.models import Report, ReportEvent, ReportPhoto
from geoportal.reports.timeline import PublicEvent, public_timeline


class PhotoSerializer(serializers.ModelSerializer[ReportPhoto]):
    image = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()

    class Meta:
        model = ReportPhoto
        fields: tuple[str, ...] = ("id", "image", "thumbnail", "width", "height")

    def get_image(self, photo: ReportPhoto) -> str:
        return settings.SITE_URL + photo.image.url

    def get_thumbnail(self, photo: ReportPhoto) -> str:
        return settings.SITE_URL + photo.thumbnail.url


class StaffPhotoSerializer(PhotoSerializer):
    class Meta(PhotoSerializer.Meta):
        fields = (*PhotoSerializer.Meta.fields, "is_hidden", "event")


class PublicEventSerializer(serializers.Serializer[PublicEvent]):
    action = serializers.CharField()
    action_label = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    to_state_label = serializers.CharField()
    text = serializers.CharField()
    at = serializers.DateTimeField()
    by = serializers.CharField(help_text="The role that acted, never a person's name.")
    photos = PhotoSerializer(many=True)


class StaffEventSerializer(serializers.ModelSerializer[ReportEvent]):
    actor = serializers.SerializerMethodField()
    photos = StaffPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = ReportEvent
        fields = ("id", "action", "from_state", "to_state", "actor", "by_reporter", "text",
                  "is_public", "created_at", "photos")  # fmt: skip

    def get_actor(self, event: ReportEvent) -> str | None:
        if event.actor is None:
            return None
        return event.actor.get_full_name() or event.actor.get_username()


class ReportFeatureSerializer(GeoFeatureModelSerializer):
    """A report on the public map."""

    category = serializers.CharField(source="category.code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    municipality = serializers.CharField(source="municipality.slug", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    department = serializers.SerializerMethodField()
    department_name = serializers.SerializerMethodField()
    url = serializers.CharField(source="public_url", read_only=True)

    class Meta:
        model = Report
        geo_field = "point"
        fields: tuple[str, ...] = (
            "id", "municipality", "title", "category", "category_name", "state", "state_label",
            "department", "department_name", "created_at", "answer_due_at", "support_count", "url",
        )  # fmt: skip

    def get_department(self, report: Report) -> str | None:
        return report.department.code if report.department else None

    def get_department_name(self, report: Report) -> str | None:
        return report.department.name if report.department else None


class ReportDetailSerializer(ReportFeatureSerializer):
    """One report as the public sees it."""

    photos = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    reporter_name = serializers.CharField(
        source="public_name", read_only=True, help_text="Only when the reporter chose to show it."
    )

    class Meta(ReportFeatureSerializer.Meta):
        fields = (*ReportFeatureSerializer.Meta.fields, "description", "address", "planned_for",
                  "public_answer", "competent_body", "duplicate_of", "reporter_name", "photos",
                  "timeline", "version")  # fmt: skip

    def get_photos(self, report: Report) -> list[dict[str, Any]]:
        photos = report.photos.filter(event__isnull=True, is_hidden=False)
        return PhotoSerializer(photos, many=True).data  # type: ignore[return-value]

    def get_timeline(self, report: Report) -> list[dict[str, Any]]:
        events = public_timeline(report)
        return PublicEventSerializer(events, many=True).data  # type: ignore[arg-type, return-value]


class StaffReportSerializer(ReportFeatureSerializer):
    """One report as staff who work on it see it: contact, clocks, context, every event."""

    suggested_department = serializers.SerializerMethodField()
    photos = StaffPhotoSerializer(many=True, read_only=True)
    events = StaffEventSerializer(many=True, read_only=True)
    is_overdue = serializers.SerializerMethodField()
    possible_duplicates = serializers.SerializerMethodField(
        help_text="Open public reports of the same category within 50 m."
    )

    class Meta(ReportFeatureSerializer.Meta):
        fields = (*ReportFeatureSerializer.Meta.fields, "description", "address", "planned_for",
                  "public_answer", "competent_body", "duplicate_of", "rejection_ground",
                  "needs_study", "is_formal_appeal", "show_name", "reporter_name",
                  "reporter_email", "reporter_phone", "reporter_postal_address",
                  "suggested_department", "location_source", "clock", "due_at", "is_overdue",
                  "was_overdue", "ceiling_at", "answered_at", "dispute_until", "disputed_at",
                  "context", "structure_without_valid_permit", "tracking_url", "photos",
                  "events", "possible_duplicates", "version")  # fmt: skip

    def get_suggested_department(self, report: Report) -> str | None:
        return report.suggested_department.code if report.suggested_department else None

    def get_possible_duplicates(self, report: Report) -> list[dict[str, Any]]:
        nearby = Report.objects.nearby_open(report.point, report.category).exclude(pk=report.pk)
        return [
            {"id": other.pk, "title": other.title, "state": other.state,
             "distance_m": round(other.distance.m, 1), "support_count": other.support_count}
            for other in nearby[:10]
        ]  # fmt: skip

    def get_is_overdue(self, report: Report) -> bool:
        from geoportal.reports import timebase

        return bool(report.clock and report.due_at and report.due_at < timebase.now())


class QueueItemSerializer(serializers.ModelSerializer[Report]):
    """A row of a staff queue."""

    category = serializers.CharField(source="category.code", read_only=True)
    department = serializers.SerializerMethodField()
    suggested_department = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)
    is_disputed = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ("id", "title", "category", "state", "department", "suggested_department",
                  "clock", "due_at", "is_overdue", "is_disputed", "created_at", "support_count",
                  "version")  # fmt: skip

    def get_department(self, report: Report) -> str | None:
        return report.department.code if report.department else None

    def get_suggested_department(self, report: Report) -> str | None:
        return report.suggested_department.code if report.suggested_department else None

    def get_is_disputed(self, report: Report) -> bool:
        return report.disputed_at is not None and report.dispute_answered_at is None
