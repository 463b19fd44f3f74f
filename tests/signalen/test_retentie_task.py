"""The daily retention task on a worker: a module of its own, since it commits (the retention
module builds a world once per module inside one open transaction)."""

import pytest
from django.utils import timezone

from signalen.models import Steunbetuiging
from signalen.tasks import retentie_daily
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_daily_task_runs_every_job(celery_worker):
    """In the PostgreSQL/Redis run a real worker picks the task from Redis; else it runs eagerly."""
    f.SteunbetuigingFactory(email="weg@example.nl", email_toestemming=True, ingetrokken_at=timezone.now())
    result = retentie_daily.delay().get(timeout=60)
    assert result["steun_emails_gewist"] == 1
    assert result["mislukt"] == 0
    assert not Steunbetuiging.objects.exclude(email="").exists()
