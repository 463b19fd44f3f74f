from django.db import migrations

GEVOELIG = ("woonoverlast", "drugs en ondermijning")


def mark(apps, schema_editor):
    apps.get_model("signalen", "Thema").objects.filter(naam__in=GEVOELIG).update(gevoelig=True)


class Migration(migrations.Migration):
    dependencies = [("signalen", "0006_thema_gevoelig_doorzetting")]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
