"""Named queries on reports: what the public sees, the staff queues, duplicates nearby."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.gis.db import models
from django.contrib.gis.geos import Point
from django.db.models import Case, F, Q, When

from geoportal.accounts.roles import Role
from geoportal.reports import timebase
from geoportal.reports.states import (
    NEVER_PUBLIC_GROUNDS,
    OPEN_PUBLIC,
    PUBLIC_STATES,
    State,
)
from layers.nearby import within

if TYPE_CHECKING:
    from geoportal.municipalities.models import Department, Municipality

DUPLICATE_RADIUS_M = 50
# A rejected report is public only when asked for by filter, and never for these grounds.
PUBLICLY_REJECTED = Q(state=State.REJECTED) & ~Q(rejection_ground__in=NEVER_PUBLIC_GROUNDS)
DEPARTMENT_OPEN = (State.ROUTED, State.IN_PROGRESS, State.PLANNED)
# New and returned reports, and open disputes (the same expression as the index's).
OPEN_DISPUTE = Q(
    state__in=[State.RESOLVED, State.NOT_RESOLVED],
    disputed_at__isnull=False,
    dispute_answered_at__isnull=True,
)
MODERATION_QUEUE = Q(state__in=[State.NEW, State.RETURNED]) | OPEN_DISPUTE


class ReportQuerySet(models.QuerySet[Any]):
    def public(self) -> ReportQuerySet:
        """On the public map (PROCEDURE.md, "States")."""
        return self.filter(state__in=PUBLIC_STATES, municipality__is_active=True)

    def public_listing(self) -> ReportQuerySet:
        """What the public list offers when states are asked for: the map's states and
        rejected reports (not for the never-public grounds)."""
        return self.filter(
            Q(state__in=PUBLIC_STATES) | PUBLICLY_REJECTED, municipality__is_active=True
        )

    def publicly_visible(self) -> ReportQuerySet:
        """Public reports plus those shown only by filter or by their own page: rejected
        ones (not for the never-public grounds) and duplicates (pointing to the original)."""
        return self.filter(
            Q(state__in=PUBLIC_STATES) | PUBLICLY_REJECTED | Q(state=State.DUPLICATE),
            municipality__is_active=True,
        )

    def filed_with_key(self, owner: str, key: str) -> ReportQuerySet:
        """The report this client filed under this Idempotency-Key (keys are per client)."""
        return self.filter(idempotency_owner=owner, idempotency_key=key)

    def staff_scope(self, user: Any) -> ReportQuerySet:
        """Every report this member of staff works on, in any state, internal parts included:
        moderators and coordinators their hromada's, workers and heads their departments'."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        condition = Q(pk__in=[])
        if user.municipality_id and (
            user.has_role(Role.MODERATOR) or user.has_role(Role.COORDINATOR)
        ):
            condition |= Q(municipality_id=user.municipality_id)
        departments = list(user.department_memberships.values_list("department_id", flat=True))
        if departments:
            condition |= Q(department_id__in=departments)
        return self.filter(condition)

    def visible_to(self, user: Any) -> ReportQuerySet:
        public = self.publicly_visible()
        if user is None or not user.is_authenticated:
            return public
        return (public | self.staff_scope(user)).distinct()

    def moderation_queue(self, municipality: Municipality) -> ReportQuerySet:
        """New and returned reports and open disputes of a hromada: the disputes first (a
        resident is waiting on an answer already given), then the soonest due."""
        return self.filter(MODERATION_QUEUE, municipality=municipality).order_by(
            Case(When(OPEN_DISPUTE, then=0), default=1),
            F("due_at").asc(nulls_last=True),
            "created_at",
            "pk",
        )

    def open_for(self, department: Department) -> ReportQuerySet:
        """A department's open reports: the overdue first, then by due time. Ordering by the
        due time alone does both (an overdue report is due before now, any other after),
        and lets the partial index report_department_open give the first page at once."""
        return self.filter(department=department, state__in=DEPARTMENT_OPEN).order_by(
            F("due_at").asc(nulls_last=True), "created_at", "pk"
        )

    def assigned_to(self, user: Any) -> ReportQuerySet:
        """A person's open reports in their departments ("My tasks"), the soonest due first."""
        return self.filter(
            assignee=user,
            state__in=DEPARTMENT_OPEN,
            department__memberships__user=user,
        ).order_by(F("due_at").asc(nulls_last=True), "created_at", "pk")

    def overdue(self, now: datetime | None = None) -> ReportQuerySet:
        """Reports whose running clock has passed (PROCEDURE.md, "Deadlines")."""
        return self.exclude(clock="").filter(due_at__lt=now or timebase.now())

    def nearby_open(
        self, point: Point, category: Any, metres: float = DUPLICATE_RADIUS_M
    ) -> ReportQuerySet:
        """Open public reports of the same category within `metres`: possible duplicates."""
        candidates = self.filter(state__in=OPEN_PUBLIC, category=category)
        return within(candidates, "point", point, metres)  # type: ignore[return-value]
