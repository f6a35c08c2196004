from geoportal.reports.models.engagement import Follow, Support
from geoportal.reports.models.event import ReportEvent
from geoportal.reports.models.notification import DigestRun, Notification, NotificationKind
from geoportal.reports.models.photo import ReportPhoto
from geoportal.reports.models.report import Report
from geoportal.reports.models.update import ReportUpdate, UpdateState

__all__ = [
    "DigestRun",
    "Follow",
    "Notification",
    "NotificationKind",
    "Report",
    "ReportEvent",
    "ReportPhoto",
    "ReportUpdate",
    "Support",
    "UpdateState",
]
