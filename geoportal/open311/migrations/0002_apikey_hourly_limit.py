"""Each Open311 key gets an hourly filing limit of its own, set in the admin."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("open311", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apikey",
            name="hourly_limit",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="How many reports this client may file in an hour, counted for the "
                "key alone whatever addresses it sends from (a call centre files hundreds). "
                "Empty: the site's default, RATE_OPEN311.",
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="reports per hour",
            ),
        ),
    ]
