"""No service, view, task or command sends mail itself: only the outbox does."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["core", "audit", "buurten", "signalen", "acties", "demo", "vbt"]
SENDING = re.compile(
    r"\b(send_mail|send_mass_mail|mail_admins|EmailMessage|EmailMultiAlternatives|get_connection)\b"
)


def test_no_code_outside_the_outbox_sends_mail():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in APPS
        if (ROOT / app).is_dir()
        for path in (ROOT / app).rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SENDING.search(line)
    ]
    assert offenders == []


def test_the_outbox_itself_is_found_by_the_same_check():
    text = (ROOT / "notificaties" / "services.py").read_text(encoding="utf-8")
    assert SENDING.search(text)
