"""WSGI entry point for gunicorn. A WSGI server is a deployment, so production is the default."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vbt.settings.production")
application = get_wsgi_application()
