"""Production only tightens base: it refuses unsafe defaults and turns on secure transport."""

import sys

from .base import *  # noqa: F403
from .base import DEFAULT_SECRET_KEY, DEFAULT_STEUN_HASH_KEY, TRUSTED_PROXY_COUNT, env

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
STEUN_HASH_KEY = env("STEUN_HASH_KEY", default="")

# A SECRET_KEY signs sessions, reset links and invitations; the household hash of a steunbetuiging
# is an HMAC over about 9 million possible addresses, so a short STEUN_HASH_KEY is guessable.
MIN_SECRET_KEY_LENGTH = 50
MIN_STEUN_HASH_KEY_LENGTH = 32

_refusals = []
if DEBUG:
    _refusals.append("DEBUG staat aan: zet DEBUG=false")
if not SECRET_KEY or SECRET_KEY == DEFAULT_SECRET_KEY:
    _refusals.append(
        "SECRET_KEY ontbreekt of is de standaardwaarde: zet SECRET_KEY op een lange geheime waarde"
    )
elif len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH:
    _refusals.append(
        f"SECRET_KEY is korter dan {MIN_SECRET_KEY_LENGTH} tekens: zet SECRET_KEY op een willekeurige "
        f"waarde van minstens {MIN_SECRET_KEY_LENGTH} tekens "
        "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
    )
if not STEUN_HASH_KEY or STEUN_HASH_KEY == DEFAULT_STEUN_HASH_KEY:
    _refusals.append(
        "STEUN_HASH_KEY ontbreekt of is de standaardwaarde: zet STEUN_HASH_KEY op een geheime waarde "
        "(en bewaar hem; een nieuwe sleutel herkent eerdere huishoudens niet meer)"
    )
elif len(STEUN_HASH_KEY) < MIN_STEUN_HASH_KEY_LENGTH:
    _refusals.append(
        f"STEUN_HASH_KEY is korter dan {MIN_STEUN_HASH_KEY_LENGTH} tekens, dus terug te rekenen: zet "
        f"STEUN_HASH_KEY op een willekeurige waarde van minstens {MIN_STEUN_HASH_KEY_LENGTH} tekens "
        "(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
    )
if TRUSTED_PROXY_COUNT < 0:
    _refusals.append(
        "TRUSTED_PROXY_COUNT is negatief: zet TRUSTED_PROXY_COUNT op het aantal eigen proxies vóór VBT "
        "(0 zonder proxy, 1 achter één TLS-proxy)"
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
# HSTS preload binds every host of the registrable domain to HTTPS for months: the domain owner's
# decision, not the app's (README "Security gates"). Off unless SECURE_HSTS_PRELOAD=true; while it
# is off, Django's reminder to turn it on (security.W021) is silenced as a decision taken.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
