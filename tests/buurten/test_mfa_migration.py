"""The data migration that encrypts TOTP secrets and recovery seeds stored in plain text."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core import encryption
from tests.factories import UserFactory

BEFORE = [("buurten", "0003_team_bereiken"), ("mfa", "0003_authenticator_type_uniq")]
AFTER = [("buurten", "0004_encrypt_mfa_secrets")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema():
    """Whatever a test migrated to, the tests after it get every app's latest schema again
    (not just this migration: later ones may add columns that other tests use)."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_plain_secrets_are_encrypted_and_decrypted_again_backwards():
    user = UserFactory(email="oud@example.nl")
    apps = migrate(BEFORE)
    Authenticator = apps.get_model("mfa", "Authenticator")
    totp = Authenticator.objects.create(user_id=user.pk, type="totp", data={"secret": "JBSWY3DPEHPK3PXP"})
    codes = Authenticator.objects.create(
        user_id=user.pk,
        type="recovery_codes",
        data={"seed": "a1b2c3", "used_mask": 0, "migrated_codes": ["code1", "code2"]},
    )
    other = UserFactory(email="al-versleuteld@example.nl")
    already = encryption.encrypt("GEHEIM234567ABCD")
    done = Authenticator.objects.create(user_id=other.pk, type="totp", data={"secret": already})

    apps = migrate(AFTER)
    Authenticator = apps.get_model("mfa", "Authenticator")
    secret = Authenticator.objects.get(pk=totp.pk).data["secret"]
    assert encryption.is_encrypted(secret)
    assert "JBSWY3DPEHPK3PXP" not in secret
    assert encryption.decrypt(secret) == "JBSWY3DPEHPK3PXP"
    data = Authenticator.objects.get(pk=codes.pk).data
    assert encryption.decrypt(data["seed"]) == "a1b2c3"
    assert [encryption.decrypt(c) for c in data["migrated_codes"]] == ["code1", "code2"]
    assert data["used_mask"] == 0
    assert Authenticator.objects.get(pk=done.pk).data["secret"] == already  # not encrypted twice

    apps = migrate(BEFORE)
    Authenticator = apps.get_model("mfa", "Authenticator")
    assert Authenticator.objects.get(pk=totp.pk).data["secret"] == "JBSWY3DPEHPK3PXP"
    assert Authenticator.objects.get(pk=codes.pk).data["migrated_codes"] == ["code1", "code2"]
    assert Authenticator.objects.get(pk=done.pk).data["secret"] == "GEHEIM234567ABCD"
