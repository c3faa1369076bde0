"""The system's own indicators are labelled as they are coded (SYS-01, not S-01): one spelling in
the data, the API, the staff pages, the report and the README."""

from django.db import migrations
from django.db.models import F


def label_as_coded(apps, schema_editor):  # type: ignore[no-untyped-def]
    indicator = apps.get_model("plan_registry", "Indicator")
    indicator.objects.filter(code__startswith="SYS-").update(label=F("code"))


class Migration(migrations.Migration):
    dependencies = [("plan_registry", "0008_feed_run_counts_people")]

    operations = [migrations.RunPython(label_as_coded, migrations.RunPython.noop)]
