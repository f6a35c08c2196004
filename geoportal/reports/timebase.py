"""The time the report life cycle reads: the procedure core's (geoportal.procedure.timebase)."""

from geoportal.procedure.timebase import acting_at, now

__all__ = ["acting_at", "now"]
