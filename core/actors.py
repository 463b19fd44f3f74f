"""Who acts when no person does: the explicit system actor.

Every service takes `door`. A person is a User; the tally, beat tasks, commands and the demo
pass a `SystemActor` naming the job. `None` is never an actor: a forgotten argument must fail
loudly instead of silently meaning "the system" or "already checked".
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SystemActor:
    """The system, doing one named job (e.g. "steuntelling", "bewaartermijn", "demo")."""

    naam: str

    pk = None
    is_authenticated = False
    is_active = True
    is_superuser = False
    is_staff = False

    def __str__(self) -> str:
        return f"systeem ({self.naam})"


def is_system(door) -> bool:
    return isinstance(door, SystemActor)


def require_actor(door) -> None:
    """Refuse a missing actor: services call this first."""
    if door is None:
        raise TypeError("door is verplicht: geef een gebruiker of een SystemActor mee")


TALLY = SystemActor("steuntelling")
RETENTION = SystemActor("bewaartermijn")
OUTBOX = SystemActor("uitgaande post")
DEMO = SystemActor("demo")
COMMAND = SystemActor("beheercommando")
# A partner's contact answering a forwarded signal through its signed link (no account).
PARTNER_LINK = SystemActor("partnerlink")
# The daily job that reminds partners of overdue forwarded signals.
DOORZET_HERINNERING = SystemActor("herinnering doorzetting")
# A resident acting online through a confirmed link (publiek): support or a wish, kanaal online only.
BEWONER = SystemActor("bewoner online")
