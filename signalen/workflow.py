"""The status workflow of a signaal: one table says who may move a signal from where to where.

Only `signalen.services.status` changes a status (it locks the row, checks this table and
writes a `StatusWijziging`). Who may make a move:

- ``SYSTEEM``: the support tally (`signalen_tally`), and the retention job closing an idle open
  signal (`signalen.services.retentie`), each with a ``SystemActor``. Draagvlak is
  counted, never declared: no person can move a signal to or from *draagvlak bereikt*.
- ``COORDINATOR``: a coördinator of the signal's team (or a superuser).
- ``TEAMLID``: any member of the signal's team (coördinatoren included).

A new signal starts as *nieuw*. The tally moves it to *draagvlak gezocht* as soon as it has
any support and to *draagvlak bereikt* once the total reaches the team's threshold; a team
member may also move it to *draagvlak gezocht* by hand ("we are asking around"). Before
triage the tally moves it back to *draagvlak gezocht* when support falls below the threshold
(withdrawal or expiry). After triage support is still counted, but the status no longer
follows it.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .models import Status


class Actor(StrEnum):
    SYSTEEM = "systeem"
    COORDINATOR = "coordinator"
    TEAMLID = "teamlid"


@dataclass(frozen=True)
class Rule:
    actors: frozenset[Actor]
    reden_verplicht: bool
    why: str


def _rule(*actors: Actor, why: str, reden_verplicht: bool = False) -> Rule:
    return Rule(actors=frozenset(actors), reden_verplicht=reden_verplicht, why=why)


S = Status
A = Actor

# Statuses in which a signal still gathers support and can be rejected.
OPEN_STATUSES = frozenset(
    {S.NIEUW, S.DRAAGVLAK_GEZOCHT, S.DRAAGVLAK_BEREIKT, S.GETRIEERD, S.IN_ACTIE, S.HEROPEND}
)
# Statuses in which the tally's threshold decides the status (before triage).
TALLY_STATUSES = frozenset({S.NIEUW, S.DRAAGVLAK_GEZOCHT, S.DRAAGVLAK_BEREIKT, S.HEROPEND})
CLOSED_STATUSES = frozenset({S.AFGEROND, S.AFGEWEZEN})

ALLOWED_TRANSITIONS: dict[tuple[str, str], Rule] = {
    # Gathering support.
    (S.NIEUW, S.DRAAGVLAK_GEZOCHT): _rule(
        A.SYSTEEM, A.TEAMLID, why="First support counted, or the team starts asking around."
    ),
    (S.NIEUW, S.DRAAGVLAK_BEREIKT): _rule(
        A.SYSTEEM, why="Enough support arrived at once (a buurt meeting): only the tally decides."
    ),
    (S.DRAAGVLAK_GEZOCHT, S.DRAAGVLAK_BEREIKT): _rule(
        A.SYSTEEM, why="The total reached the team's threshold: only the tally decides."
    ),
    (S.DRAAGVLAK_BEREIKT, S.DRAAGVLAK_GEZOCHT): _rule(
        A.SYSTEEM, why="Support fell below the threshold (withdrawn or expired) before triage."
    ),
    (S.HEROPEND, S.DRAAGVLAK_GEZOCHT): _rule(
        A.SYSTEEM, A.TEAMLID, why="A reopened signal gathers support again."
    ),
    (S.HEROPEND, S.DRAAGVLAK_BEREIKT): _rule(
        A.SYSTEEM, why="A reopened signal that still has enough support: only the tally decides."
    ),
    # Triage and work.
    (S.DRAAGVLAK_BEREIKT, S.GETRIEERD): _rule(
        A.COORDINATOR, why="The coördinator decides: integraal (VBT-actie) or primaire taak (doorgezet)."
    ),
    (S.GETRIEERD, S.IN_ACTIE): _rule(
        A.TEAMLID, A.SYSTEEM, why="Work started: a VBT-actie or the partner took it up."
    ),
    (S.GETRIEERD, S.AFGEROND): _rule(
        A.COORDINATOR,
        A.SYSTEEM,
        why="A forwarded primary task was handled by the partner itself (recorded by the coördinator, "
        "or by the partner's contact through its link: then the system acts).",
    ),
    # Back to triage: the partner says it is not its task, or the actie it was in stopped.
    (S.GETRIEERD, S.DRAAGVLAK_BEREIKT): _rule(
        A.COORDINATOR, A.SYSTEEM, reden_verplicht=True, why="Back to triage: not the partner's task."
    ),
    (S.IN_ACTIE, S.DRAAGVLAK_BEREIKT): _rule(
        A.COORDINATOR,
        A.SYSTEEM,
        reden_verplicht=True,
        why="Back to triage: the actie it was in was stopped, or the partner that took a forwarded "
        "task up returns it as not its task (through its link: then the system acts).",
    ),
    (S.IN_ACTIE, S.AFGEROND): _rule(A.TEAMLID, A.SYSTEEM, why="The action is done."),
    # Reopening a closed signal needs a reason, so the history explains it.
    (S.AFGEROND, S.HEROPEND): _rule(
        A.COORDINATOR, reden_verplicht=True, why="The problem came back or was not solved."
    ),
    (S.AFGEWEZEN, S.HEROPEND): _rule(
        A.COORDINATOR, reden_verplicht=True, why="The rejection is reconsidered."
    ),
    # The VBT-actie a signal is in was reopened (acties.services): the signal follows its actie
    # back into work instead of into the tally (heropend would gather support again).
    (S.AFGEROND, S.IN_ACTIE): _rule(
        A.COORDINATOR, reden_verplicht=True, why="The finished actie it is in was reopened."
    ),
    (S.AFGEWEZEN, S.GETRIEERD): _rule(
        A.COORDINATOR, reden_verplicht=True, why="The stopped actie it is in was reopened."
    ),
}
# Rejecting is possible from every open status, always with a reason residents can be told.
for _van in OPEN_STATUSES:
    ALLOWED_TRANSITIONS[(_van, S.AFGEWEZEN)] = _rule(
        A.COORDINATOR,
        A.SYSTEEM,
        reden_verplicht=True,
        why="Not something the team takes up, or (the retention job) no activity for the team's term; "
        "the reason is recorded.",
    )

# Moves only the actie services make (the signal follows its actie); a signal's page never offers them.
ALLEEN_VIA_ACTIE = frozenset({(S.AFGEROND, S.IN_ACTIE), (S.AFGEWEZEN, S.GETRIEERD)})

REDEN_VERPLICHT = _("Geef een reden op.")


def rule_for(van: str, naar: str) -> Rule | None:
    """The rule that allows moving from `van` to `naar`, or None when the move is not allowed."""
    return ALLOWED_TRANSITIONS.get((van, naar))


def next_statuses(van: str) -> list[str]:
    """Statuses a signal in status `van` may move to (by anyone)."""
    return [naar for (v, naar) in ALLOWED_TRANSITIONS if v == van]


def next_statuses_for(van: str, actors: set[Actor]) -> list[str]:
    """Statuses a person with these actor roles may move a signal in status `van` to."""
    return [naar for (v, naar), rule in ALLOWED_TRANSITIONS.items() if v == van and rule.actors & actors]
