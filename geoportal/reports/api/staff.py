"""Staff queues: moderation, a department's, and the coordinator's overdue list."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated

from geoportal.accounts.roles import Role
from geoportal.municipalities.models import Department
from geoportal.reports import timebase
from geoportal.reports.api.serializers import QueueItemSerializer
from geoportal.reports.models import Report


class QueuePagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


def _with_overdue(reports: QuerySet[Report]) -> QuerySet[Report]:
    now = timebase.now()
    return reports.select_related("category", "department", "suggested_department").annotate(
        is_overdue=Case(
            When(~Q(clock="") & Q(due_at__lt=now), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


class QueueView(generics.ListAPIView[Report]):
    permission_classes = [IsAuthenticated]
    serializer_class = QueueItemSerializer
    pagination_class = QueuePagination

    def get_queryset(self) -> QuerySet[Report]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no user
            return Report.objects.none()
        return _with_overdue(self.queue())

    def queue(self) -> QuerySet[Report]:
        raise NotImplementedError

    def own_municipality(self, *roles: Role) -> Any:
        user: Any = self.request.user
        if user.municipality_id is None or not any(user.has_role(role) for role in roles):
            names = ", ".join(str(role.label) for role in roles)
            raise PermissionDenied(_("This queue is for: %(roles)s.") % {"roles": names})
        return user.municipality


class ModerationQueue(QueueView):
    """New and returned reports and open disputes, the soonest due first."""

    def queue(self) -> QuerySet[Report]:
        municipality = self.own_municipality(Role.MODERATOR, Role.COORDINATOR)
        return Report.objects.moderation_queue(municipality)


class DepartmentQueue(QueueView):
    """A department's open reports, overdue first, then by due time."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "department", str, description="Department code; your own when left out."
            )
        ]
    )
    def get(self, *args: Any, **kwargs: Any) -> Any:
        return super().get(*args, **kwargs)

    def queue(self) -> QuerySet[Report]:
        user: Any = self.request.user
        code = self.request.query_params.get("department", "").strip()
        own = Department.objects.filter(memberships__user=user)
        if code:
            department = own.filter(code=code).first()
            if department is None and user.municipality_id and user.has_role(Role.COORDINATOR):
                department = Department.objects.filter(
                    municipality_id=user.municipality_id, code=code
                ).first()
                if department is None:
                    raise ValidationError(
                        {"department": _("No department “%(code)s” here.") % {"code": code}}
                    )
        else:
            department = own.first()
        if department is None:
            raise PermissionDenied(_("This queue is for the department's own workers and heads."))
        return Report.objects.open_for(department)


class OverdueList(QueueView):
    """Every overdue report of the hromada across departments, the longest overdue first."""

    def queue(self) -> QuerySet[Report]:
        municipality = self.own_municipality(Role.COORDINATOR)
        return Report.objects.filter(municipality=municipality).overdue().order_by("due_at", "pk")
