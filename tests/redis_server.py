"""A redis-server of the test's own, on a free port, that the test stops and starts (never the
machine's Redis), and the Celery app pointed at it for a while."""

import contextlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    """`start()`, `stop()` and `url` of a private redis-server without persistence."""

    def __init__(self, directory: Path):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - a fixed binary and our own arguments
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@contextlib.contextmanager
def own_redis(directory: Path):
    server = OwnRedis(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _point_celery(broker: str, backend: str) -> None:
    from vbt.celery import app

    app.conf.broker_url = broker
    app.conf.result_backend = backend
    # kombu's pools and Celery's backend are made once per URL; forget them.
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@contextlib.contextmanager
def celery_at(url: str):
    """The Celery app's broker and result backend at `url`, then back."""
    from vbt.celery import app

    saved = (app.conf.broker_url, app.conf.result_backend)
    _point_celery(url, url)
    try:
        yield
    finally:
        _point_celery(*saved)
