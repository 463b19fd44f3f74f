"""Settings shared by every environment; everything that differs comes from the environment."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

from vbt.logs import TOKEN_PREFIXES

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# A development-only key; production.py refuses to start with it.
DEFAULT_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env("SECRET_KEY", default=DEFAULT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Key for the household hash of a steunbetuiging (HMAC). Losing it means old and new
# support from the same household no longer match; production.py refuses the default.
DEFAULT_STEUN_HASH_KEY = "dev-only-household-hash-key"
STEUN_HASH_KEY = env("STEUN_HASH_KEY", default=DEFAULT_STEUN_HASH_KEY)

INSTALLED_APPS = [
    "vbt.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "leaflet",
    "csp",
    "core",
    "audit",
    "notificaties",
    "buurten",
    "signalen",
    "acties",
    "publiek",
    # Last, as its documentation asks: a deleted row's file (a signal's photo) is removed after commit.
    "django_cleanup.apps.CleanupConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML, JSON and the CSV go out gzip-compressed (WhiteNoise serves static files pre-compressed),
    # except the pages of GZIP_EXCLUDED_PATHS (README, "Compression and BREACH").
    "core.middleware.GZipMiddleware",
    # Content-Security-Policy on every page (CONTENT_SECURITY_POLICY below); static files are
    # answered by WhiteNoise before it and need none.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The person's team seats read once per request, however often a page asks the access rule.
    "buurten.middleware.ToegangPerVerzoekMiddleware",
    # Permissions-Policy everywhere; Cache-Control: no-store on everything a logged-in person gets.
    "core.middleware.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view reads the body; after the messages so its Dutch 413 page renders like any page.
    "core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Audited actions of a request are marked as coming from a page or the admin, with the IP.
    "audit.context.AuditOriginMiddleware",
    # After AccountMiddleware: coordinators and staff set up TOTP before the admin opens.
    "buurten.mfa.MFARequiredMiddleware",
    # Last: with DEBUG on, only a superuser sees Django's technical 404 (it lists every URL pattern).
    "core.middleware.DebugNotFoundMiddleware",
]
# Not compressed (regular expressions matched at the start of the path): the account pages (TOTP
# setup with its secret, recovery codes, password reset), the admin, and every path that carries a
# token (vbt.logs.TOKEN_PREFIXES), so that no page with a fixed secret beside text from the request
# is compressed (BREACH).
GZIP_EXCLUDED_PATHS = ("/accounts/", "/admin/", *TOKEN_PREFIXES)
# A page reached through a personal link (a token in its path) is never stored by a browser or a
# shared cache, also for an anonymous visitor (core.middleware.SecurityHeadersMiddleware).
NO_STORE_PATHS = TOKEN_PREFIXES
# A refused CSRF check gets the site's 403 page with a Dutch reason.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

ROOT_URLCONF = "vbt.urls"
WSGI_APPLICATION = "vbt.wsgi.application"
ASGI_APPLICATION = "vbt.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'vbt.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "buurten.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

LANGUAGE_CODE = "nl"
# Each language is named in itself, so a person finds their own in the list.
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Request size: the form fields in memory, the number of fields and files, and the whole body
# (core.middleware: 413 above it). signalen refuses more than 50 MB of photos in one request with a form
# error (signalen/services/fotos.py); the body limit leaves room for the rest of that form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, stated: a 1,000,000-character GeoJSON fits
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files go to a temporary file, not to memory
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
MAX_REQUEST_BYTES = 55 * 1024 * 1024

MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")

# REDIS_URL switches the cache and Celery from in-process to Redis.
REDIS_URL = env("REDIS_URL", default="")
# No request waits more than about 2 s on a dead Redis (README, "Redis down"): short socket
# timeouts, few publish retries, and a cache that answers from process memory while Redis is away.
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.rediscache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://localhost/"  # with its host, kombu does not warn about a missing one
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# Publishing (a request queuing a task): at most two attempts of 0.5 s each; the caller catches
# the failure, the work is already recorded in the database and beat picks it up.
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
_FEW_RETRIES = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TASK_PUBLISH_RETRY_POLICY = _FEW_RETRIES
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A task a worker took but never acknowledged (the worker was killed) goes back to the queue
    # after 10 minutes, not Redis's default hour; longer than any task's hard time limit below,
    # so a task that is still running is never handed out twice.
    "visibility_timeout": 600,
    "socket_connect_timeout": 0.5,
    "socket_timeout": 2.0,
    **_FEW_RETRIES,
}
# The result backend subscribes to a task's result when it is queued: 20 retries of 1 s by
# default, the 19 s a request hung on adding support while Redis was down.
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 0.5
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": _FEW_RETRIES}
# A task that hangs is stopped: SoftTimeLimitExceeded after 4 minutes, killed after 5 (the tally
# sets its own, longer limits). Both stay under the visibility timeout.
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker started before Redis (docker compose, a reboot) waits for it instead of exiting.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "tally-support": {"task": "signalen.tasks.tally_support", "schedule": 300.0},
    # One daily retention run (AVG); it includes the purge of closed signals past their term.
    "retentie-daily": {"task": "signalen.tasks.retentie_daily", "schedule": 24 * 3600.0},
    # One reminder to the partner of each forwarded signal past its follow-up date.
    "doorzet-herinneringen": {"task": "signalen.tasks.doorzet_herinneringen", "schedule": 24 * 3600.0},
    "resend-due-mail": {"task": "notificaties.tasks.berichten_resend_due", "schedule": 60.0},
    # Pending online supports and wishes whose 48-hour link expired (publiek).
    "publiek-online-opruimen": {"task": "publiek.tasks.online_opruimen", "schedule": 24 * 3600.0},
    # "Heeft het geholpen?" where an actie or forward is due (each is asked once).
    "geholpen-daily": {"task": "acties.tasks.geholpen_daily", "schedule": 24 * 3600.0},
    # Each coördinator's digest, Monday morning; keyed per ISO week, so a rerun sends nothing new.
    "weekoverzicht-weekly": {
        "task": "acties.tasks.weekoverzicht_weekly",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
}

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# An SMTP server that accepts the connection but never answers must not hold a worker (and the
# outbox row's lock) forever: the attempt fails after this many seconds and is retried.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# The outbox's first retry waits this long, each next one twice as long (at most an hour).
NOTIFICATIES_BACKOFF_SECONDS = env.int("NOTIFICATIES_BACKOFF_SECONDS", default=60)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="VBT <vbt@localhost>")
# Where links in mails sent outside a request (commands, tasks) point to.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# django-allauth: e-mail address is the login, no open sign-up (see buurten.adapters).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "buurten.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[VBT] "
# A login counts as a recent authentication for this long (buurten.adapters): a new coordinator sets
# up TOTP right after logging in without typing the password twice; later the password is asked again.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Login throttling (README "Inloggen"). Wrong passwords count per account (allauth's "key" is the
# address typed): 5 within 5 minutes refuse that account until the oldest of them is 5 minutes old,
# and nothing else. Wrong TOTP codes count the same way per account under their own key, so they
# never spend the password budget. No budget counts wrong attempts per IP address: behind the
# proxy or one office's NAT, people share an address, and one attacked account would lock out
# everybody. The per-IP limit on the login page is only a flood guard, far above normal use.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/key",
    "login": "100/m/ip",
    # The public "withdraw all my support" form mails a link to any address it is given: per
    # client address and per e-mail address, so it cannot be used to flood someone's inbox.
    "vbt_steun_intrekken": "10/h/ip,3/h/key",
    # The public support and wish forms (publiek) likewise: each mails a link to the address given.
    "vbt_publiek_steunen": "20/h/ip,5/h/key",
    "vbt_publiek_wens": "10/h/ip,3/h/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "VBT"
# Accept the code of the previous and the next 30-second window too: a phone whose clock is a few
# seconds off, or a code typed as it rolls over, still works (RFC 6238 allows one step of drift).
MFA_TOTP_TOLERANCE = 1
# How many proxies of our own stand in front of VBT, each appending to X-Forwarded-For: 1 behind
# one TLS proxy, 0 without one (the header is then ignored, as anyone can send it). The login
# throttle (allauth) and the IP in the audit log (audit.context.client_ip) both count from it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
MFA_ADAPTER = "buurten.adapters.MFAAdapter"
# TOTP secrets and recovery-code seeds are stored encrypted (Fernet) with this key. Without it, a key
# is derived from SECRET_KEY: changing SECRET_KEY then makes every authenticator unreadable
# (README "Tweestapsverificatie"). Generate one with
# `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
MFA_ENCRYPTION_KEY = env("MFA_ENCRYPTION_KEY", default="")

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (50.851, 5.690),
    "DEFAULT_ZOOM": 13,
    "MIN_ZOOM": 7,
    "MAX_ZOOM": 19,
    "TILES": [
        (
            "BRT-Achtergrondkaart",
            "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
            {"attribution": "Kaartgegevens &copy; Kadaster", "maxZoom": 19},
        ),
    ],
    "ATTRIBUTION_PREFIX": "Bron buurtgrenzen: CBS / Kadaster",
    "RESET_VIEW": False,
    "NO_GLOBALS": False,
}

# Security headers (README "Security headers"). No script runs that is not a file of our own:
# no inline script, no eval, no other origin. An inline script that cannot become a file carries
# nonce="{{ request.csp_nonce }}". Styles likewise come from our files only: Leaflet, Leaflet.draw
# and the admin set styles through the DOM (element.style), which CSP allows.
_tiles = urlsplit(LEAFLET_CONFIG["TILES"][0][1])
_TILE_ORIGIN = f"{_tiles.scheme}://{_tiles.netloc}"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # Map tiles from PDOK; data: for the TOTP QR code and Leaflet's icons.
        "img-src": [SELF, "data:", _TILE_ORIGIN],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Only the phone page asks for the location ("Gebruik mijn locatie"), and only for this site.
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    "camera": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "magnetometer": [],
    "gyroscope": [],
    "accelerometer": [],
    "display-capture": [],
}
# Links to other sites get no path: paths can carry tokens (invitations, password reset).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# No script reads the CSRF cookie: every form sends the hidden field.
CSRF_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Invitation tokens, reset and confirmation keys and query strings never reach the log
    # (e.g. Django's "Not Found: /uitnodiging/<token>/"); gunicorn.conf.py does the same for
    # gunicorn's access log.
    "filters": {"redact": {"()": "vbt.logs.RedactTokensFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
