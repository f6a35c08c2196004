"""An Idempotency-Key is unique per client (its owner), no longer across all clients: a
second client sending the first one's key gets a report of its own, never the first's."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_photo_files_checked")]

    operations = [
        migrations.RemoveConstraint(model_name="report", name="report_idempotency_key_unique"),
        migrations.AddField(
            model_name="report",
            name="idempotency_owner",
            field=models.CharField(blank=True, default="", editable=False, max_length=32),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                condition=models.Q(("idempotency_key__isnull", False)),
                fields=("idempotency_owner", "idempotency_key"),
                name="report_idempotency_key_per_owner",
            ),
        ),
    ]
