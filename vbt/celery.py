"""The Celery app: configured from Django settings (CELERY_*), tasks found in each app's tasks.py.

A deployment sets DJANGO_SETTINGS_MODULE itself; the production default means a worker or beat
started without it refuses to run on development keys (a worker with another STEUN_HASH_KEY
than the web process would count the same household twice).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vbt.settings.production")

app = Celery("vbt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(bind=True, name="vbt.ping")
def ping(self) -> dict:
    """Say where the task ran: in-process (eager), or on which worker from which broker queue."""
    if self.request.is_eager:
        return {"ran": "in-process"}
    queue = (self.request.delivery_info or {}).get("routing_key")
    return {"ran": "worker", "hostname": self.request.hostname, "queue": queue}
