from geoportal.reports.models.event import ReportEvent
from geoportal.reports.models.report import Report

__all__ = ["Report", "ReportEvent"]
