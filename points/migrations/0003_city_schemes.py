"""The city's two schemes with their rules (see `points.city_schemes`)."""

from django.db import migrations

from points import city_schemes


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]  # migration signature
    city_schemes.ensure(
        apps.get_model("points", "Scheme"), apps.get_model("points", "AwardRule"), apps.get_model("points", "ConversionStep")
    )


class Migration(migrations.Migration):
    dependencies = [("points", "0002_ledger_guards")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
