"""Test settings: the same environment switches as base, made fast and quiet."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# WhiteNoise serves from STATIC_ROOT; outside production nothing is collected there.
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)  # noqa: F405

# The demo data of `make run` (`manage.py demo_data`); production does not install it.
INSTALLED_APPS = [*INSTALLED_APPS[:-1], "demo", INSTALLED_APPS[-1]]  # noqa: F405 - django_cleanup stays last
