"""Give every layer passport kept without a responsible department the one that answers for
its layer, so that no open-data passport shows "—" for it.

The department is found as LayerPassport.for_layer now finds it for a new passport: the one
the best general routing rule of a category linked to the layer sends reports to, else the
department of urban planning (code arch), which DOMAIN.md names as the owner of all four
layers. A passport of a hromada that has neither is left as it is; load_reference fills it
from the hromada's reference file.
"""

from typing import Any

from django.db import migrations


def fill_responsible_departments(apps: Any, schema_editor: Any) -> None:
    LayerPassport = apps.get_model("layers", "LayerPassport")
    Department = apps.get_model("municipalities", "Department")
    for passport in LayerPassport.objects.filter(department__isnull=True):
        active = Department.objects.filter(municipality_id=passport.municipality_id, is_active=True)
        department = (
            active.filter(
                routing_rules__is_active=True,
                routing_rules__area__isnull=True,
                routing_rules__category__is_active=True,
                routing_rules__category__linked_layer=passport.layer,
            )
            .order_by("-routing_rules__priority", "pk")
            .first()
        ) or active.filter(code="arch").first()
        if department is not None:
            passport.department = department
            passport.save(update_fields=["department"])


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0003_non_working_days"),
        ("layers", "0003_history_append_only"),
    ]

    operations = [migrations.RunPython(fill_responsible_departments, migrations.RunPython.noop)]
