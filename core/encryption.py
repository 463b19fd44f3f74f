"""Encryption at rest for the few secrets the database must be able to give back (TOTP keys).

Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`. The key is `MFA_ENCRYPTION_KEY` from
the environment, or, when that is empty, derived from `SECRET_KEY` with HKDF: then a new
SECRET_KEY makes every stored secret unreadable (README "Tweestapsverificatie"). Stored values
carry the prefix `fernet:` so that a plain value is recognised (and refused) instead of decrypted
as garbage.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "fernet:"


def _fernet() -> Fernet:
    key = getattr(settings, "MFA_ENCRYPTION_KEY", "")
    if key:
        try:
            return Fernet(key)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                "MFA_ENCRYPTION_KEY is geen geldige Fernet-sleutel (32 bytes, urlsafe base64, 44 tekens)."
            ) from exc
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"vbt mfa-secrets v1").derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def is_encrypted(value: str) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def encrypt(text: str) -> str:
    """`text` encrypted with the configured key, as `fernet:<token>`."""
    return PREFIX + _fernet().encrypt(text.encode()).decode()


def decrypt(value: str) -> str:
    """The text back; ValueError for a plain or foreign value (never returns garbage)."""
    if not is_encrypted(value):
        raise ValueError("Dit geheim is niet versleuteld opgeslagen.")
    try:
        return _fernet().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ValueError(
            "Dit geheim is met een andere sleutel versleuteld (MFA_ENCRYPTION_KEY of SECRET_KEY gewijzigd?)."
        ) from exc
