"""Local development: the embedded default (SQLite, in-process Celery, console e-mail)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)

# WhiteNoise serves from STATIC_ROOT; outside production nothing is collected there.
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)  # noqa: F405

# The demo data of `make run` (`manage.py demo_data`); production does not install it.
INSTALLED_APPS = [*INSTALLED_APPS[:-1], "demo", INSTALLED_APPS[-1]]  # noqa: F405 - django_cleanup stays last
