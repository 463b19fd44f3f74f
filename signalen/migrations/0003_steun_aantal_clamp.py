from django.db import migrations


AANTAL_ANONIEM_HOOG = 1000  # signalen.models.AANTAL_ANONIEM as this constraint was added


def clamp_aantal_anoniem(apps, schema_editor):
    """Cap a larger anonymous count stored before the range existed, and have its signal recounted."""
    Signaal = apps.get_model("signalen", "Signaal")
    Steunbetuiging = apps.get_model("signalen", "Steunbetuiging")
    te_groot = Steunbetuiging.objects.filter(aantal_anoniem__gt=AANTAL_ANONIEM_HOOG)
    Signaal.objects.filter(pk__in=te_groot.values("signaal_id")).update(steun_herberekenen=True)
    te_groot.update(aantal_anoniem=AANTAL_ANONIEM_HOOG)


# Its own migration: on PostgreSQL the rows it updates leave deferred trigger events that
# forbid the ALTER TABLE of the constraints in the same transaction.
class Migration(migrations.Migration):
    dependencies = [
        ('signalen', '0002_tally_indexes'),
    ]

    operations = [
        migrations.RunPython(clamp_aantal_anoniem, migrations.RunPython.noop),
    ]
