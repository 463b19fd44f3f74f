"""A real SMTP server on 127.0.0.1 (aiosmtpd), started and stopped by the test, that can refuse."""

import socket
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from buurten.models import Rol
from tests import factories as f


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler:
    """Accepts every message, or answers `refuse` (e.g. "451 …") to the next `refusals` ones."""

    def __init__(self):
        self.messages = []
        self.refuse = ""
        self.refusals = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refusals:
            self.refusals -= 1
            return self.refuse
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.handler = Handler()
        self.controller = None

    @property
    def messages(self):
        return self.handler.messages

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def refuse(self, answer: str, times: int = 1_000_000):
        """Answer the next `times` messages with `answer` instead of accepting them."""
        self.handler.refuse, self.handler.refusals = answer, times

    def accept(self):
        self.handler.refusals = 0


@pytest.fixture
def smtp(settings):
    """VBT sends through Django's SMTP backend to this server (running until the test ends)."""
    server = SmtpServer(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    server.start()
    yield server
    server.stop()


@pytest.fixture
def silent_server():
    """A port that takes the connection but never says a word (an SMTP server that hangs)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield s.getsockname()[1]


@pytest.fixture
def coordinator():
    team = f.TeamFactory(naam="Malberg")
    user = f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR).user
    f.activate_totp(f.verify_email(user))
    f.PartnerFactory(gemeente=team.gemeente, naam="Woonpunt")
    return user
