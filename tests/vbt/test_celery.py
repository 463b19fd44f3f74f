"""Celery: in-process on the embedded default, through Redis to a real worker with REDIS_URL."""

import pytest
import redis
from django.conf import settings

from vbt.celery import app, ping

WITH_REDIS = bool(settings.REDIS_URL)


@app.task(name="tests.vbt.user_exists")
def user_exists(pk: int) -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=pk).exists()


def test_the_embedded_default_runs_tasks_in_process():
    if WITH_REDIS:
        pytest.skip("REDIS_URL is set: tasks go to a worker (see the test below)")
    assert app.conf.task_always_eager
    assert app.conf.broker_url == "memory://localhost/"
    assert ping.delay().get(timeout=5) == {"ran": "in-process"}


def test_redis_is_broker_and_result_backend_and_tasks_reach_a_real_worker(celery_worker):
    if not WITH_REDIS:
        pytest.skip("no REDIS_URL: there is no broker, tasks run in-process")
    assert not app.conf.task_always_eager
    assert app.conf.broker_url == settings.REDIS_URL
    assert app.conf.result_backend == settings.REDIS_URL
    result = ping.delay()
    answer = result.get(timeout=20)
    # It ran on the test worker, which took it from the broker's default queue ...
    assert answer["ran"] == "worker"
    assert answer["hostname"] in celery_worker.hostname
    assert answer["queue"] == app.conf.task_default_queue
    # ... and its result is stored in Redis.
    client = redis.Redis.from_url(settings.REDIS_URL)
    assert client.exists(f"celery-task-meta-{result.id}") == 1


def test_the_worker_reads_committed_data_through_its_own_connection(celery_worker):
    from tests.factories import UserFactory

    user = UserFactory()
    assert user_exists.delay(user.pk).get(timeout=20) is True
    assert user_exists.delay(user.pk + 1000).get(timeout=20) is False
