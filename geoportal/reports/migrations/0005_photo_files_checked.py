"""A photo's file URL is its checked view (CheckedFileField); the columns do not change."""

from __future__ import annotations

from django.db import migrations

import geoportal.reports.models.photo


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_events_append_only")]

    operations = [
        migrations.AlterField(
            model_name="reportphoto",
            name="image",
            field=geoportal.reports.models.photo.CheckedFileField(
                max_length=200, upload_to="reports/photos/", verbose_name="photo"
            ),
        ),
        migrations.AlterField(
            model_name="reportphoto",
            name="thumbnail",
            field=geoportal.reports.models.photo.CheckedFileField(
                max_length=200, upload_to="reports/thumbs/", verbose_name="thumbnail"
            ),
        ),
    ]
