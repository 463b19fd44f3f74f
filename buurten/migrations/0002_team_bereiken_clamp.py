from decimal import Decimal
from django.db import migrations


# The ranges as they were when the constraints were added (buurten.models may change them later).
BEREIKEN = {
    "drempel_huishoudens": (1, 1000),
    "anoniem_gewicht": (Decimal(0), Decimal(1)),
    "steun_venster_maanden": (1, 60),
    "bewaartermijn_maanden": (1, 120),
}


def clamp_team_settings(apps, schema_editor):
    """Bring a value stored before the ranges existed to the nearest bound, so the constraints apply."""
    Team = apps.get_model("buurten", "Team")
    for veld, (laag, hoog) in BEREIKEN.items():
        Team.objects.filter(**{f"{veld}__lt": laag}).update(**{veld: laag})
        Team.objects.filter(**{f"{veld}__gt": hoog}).update(**{veld: hoog})


# Its own migration: on PostgreSQL the rows it updates leave deferred trigger events that
# forbid the ALTER TABLE of the constraints in the same transaction.
class Migration(migrations.Migration):
    dependencies = [
        ('buurten', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(clamp_team_settings, migrations.RunPython.noop),
    ]
