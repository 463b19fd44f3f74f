"""ASGI entry point. An ASGI server is a deployment, so production is the default."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vbt.settings.production")
application = get_asgi_application()
