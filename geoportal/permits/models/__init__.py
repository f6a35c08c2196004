from geoportal.permits.models.application import Application
from geoportal.permits.models.approval import ApprovalBody, ApprovalResult, ApprovalTask
from geoportal.permits.models.counter import PermitCounter, Series
from geoportal.permits.models.data import PermitClock
from geoportal.permits.models.document import ApplicationDocument, DocumentKind, DocumentType
from geoportal.permits.models.event import ApplicationEvent
from geoportal.permits.models.permit_settings import PermitSettings

__all__ = [
    "Application",
    "ApplicationDocument",
    "ApplicationEvent",
    "ApprovalBody",
    "ApprovalResult",
    "ApprovalTask",
    "DocumentKind",
    "DocumentType",
    "PermitClock",
    "PermitCounter",
    "PermitSettings",
    "Series",
]
