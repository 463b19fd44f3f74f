"""Production only tightens base: it refuses unsafe defaults and turns on secure transport."""

import sys

from .base import *  # noqa: F403
from .base import DEFAULT_SECRET_KEY, DEFAULT_STEUN_HASH_KEY, env

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
STEUN_HASH_KEY = env("STEUN_HASH_KEY", default="")

_refusals = []
if DEBUG:
    _refusals.append("DEBUG staat aan: zet DEBUG=false")
if not SECRET_KEY or SECRET_KEY == DEFAULT_SECRET_KEY:
    _refusals.append(
        "SECRET_KEY ontbreekt of is de standaardwaarde: zet SECRET_KEY op een lange geheime waarde"
    )
if not STEUN_HASH_KEY or STEUN_HASH_KEY == DEFAULT_STEUN_HASH_KEY:
    _refusals.append(
        "STEUN_HASH_KEY ontbreekt of is de standaardwaarde: zet STEUN_HASH_KEY op een geheime waarde "
        "(en bewaar hem; een nieuwe sleutel herkent eerdere huishoudens niet meer)"
    )
if _refusals:
    # One line the operator can act on, instead of a traceback from deep inside Django.
    # SystemExit also stops gunicorn --preload, celery and manage.py before they serve anything.
    print("VBT start geweigerd: " + "; ".join(_refusals) + ".", file=sys.stderr)
    raise SystemExit(1)

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Health checks of the container runtime or load balancer speak plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
