"""The append-only event log every procedure keeps: one row per action, never changed."""

from __future__ import annotations

from typing import Any

from django.db import models


class AppendOnly(models.Model):
    """A model whose rows are written once: saving an existing row or deleting one raises.

    Bulk updates and deletes bypass this, so each event table also refuses them in the
    database: a migration applies geoportal.core.audit_guard.guard to it."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"{type(self).__name__} rows are append-only.")
