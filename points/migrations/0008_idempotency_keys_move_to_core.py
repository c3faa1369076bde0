"""Idempotency keys now serve every app's writes: the model moves to core (core/0002 takes the
table over and renames it); here it only leaves the points app's state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("points", "0007_award_rule_min_minutes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="IdempotencyKey")], database_operations=[]
        )
    ]
