"""Encrypt the TOTP secrets and recovery-code seeds that allauth stored in plain text.

From now on `buurten.adapters.MFAAdapter` encrypts every new one (core.encryption); this turns the
existing ones into the same form. Values that are already encrypted are left alone, so running it
twice changes nothing. Backwards it decrypts them again.
"""

from django.db import migrations

from core import encryption


def _convert(data: dict, fn, wanted: bool) -> bool:
    """Apply `fn` to the secret fields of one authenticator's data; True when something changed."""
    changed = False
    for veld in ("secret", "seed"):
        waarde = data.get(veld)
        if isinstance(waarde, str) and encryption.is_encrypted(waarde) != wanted:
            data[veld] = fn(waarde)
            changed = True
    codes = data.get("migrated_codes")
    if isinstance(codes, list):
        nieuw = [fn(c) if isinstance(c, str) and encryption.is_encrypted(c) != wanted else c for c in codes]
        if nieuw != codes:
            data["migrated_codes"] = nieuw
            changed = True
    return changed


def _run(apps, fn, wanted: bool) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all().iterator():
        if _convert(authenticator.data, fn, wanted):
            authenticator.save(update_fields=["data"])


def encrypt_secrets(apps, schema_editor):
    _run(apps, encryption.encrypt, wanted=True)


def decrypt_secrets(apps, schema_editor):
    _run(apps, encryption.decrypt, wanted=False)


class Migration(migrations.Migration):
    dependencies = [
        ("buurten", "0003_team_bereiken"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
