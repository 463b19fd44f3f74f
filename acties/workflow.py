"""The status workflow of an actie, in the same shape as `signalen.workflow`.

Only `acties.services` changes a status (it locks the row, checks this table and writes an
`ActieStatusWijziging`). Who may make a move:

- ``COORDINATOR``: a coördinator of the actie's team (or a superuser).
- ``BETROKKEN``: a team member whose partner leads or takes part in the actie.

The signals follow their actie: *in actie* when it starts, *afgerond* when it is done; when it is
stopped the coördinator decides per signal (back to triage, or afgewezen with the public reason).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .models import ActieStatus


class Actor(StrEnum):
    COORDINATOR = "coordinator"
    BETROKKEN = "betrokken"


@dataclass(frozen=True)
class Rule:
    actors: frozenset[Actor]
    reden_verplicht: bool
    why: str


def _rule(*actors: Actor, why: str, reden_verplicht: bool = False) -> Rule:
    return Rule(actors=frozenset(actors), reden_verplicht=reden_verplicht, why=why)


S = ActieStatus
A = Actor

OPEN_STATUSES = frozenset({S.GEPLAND, S.IN_UITVOERING, S.HEROPEND})
CLOSED_STATUSES = frozenset({S.AFGEROND, S.GESTOPT})

ALLOWED_TRANSITIONS: dict[tuple[str, str], Rule] = {
    (S.GEPLAND, S.IN_UITVOERING): _rule(A.COORDINATOR, A.BETROKKEN, why="The work started."),
    (S.HEROPEND, S.IN_UITVOERING): _rule(A.COORDINATOR, A.BETROKKEN, why="Work on a reopened actie started."),
    (S.IN_UITVOERING, S.AFGEROND): _rule(A.COORDINATOR, A.BETROKKEN, why="The work is done."),
    (S.HEROPEND, S.AFGEROND): _rule(A.COORDINATOR, A.BETROKKEN, why="The reopened work is done."),
    # Reopening a closed actie needs a reason the buurt can read.
    (S.AFGEROND, S.HEROPEND): _rule(
        A.COORDINATOR,
        reden_verplicht=True,
        why="The problem came back or the residents said it did not help.",
    ),
    (S.GESTOPT, S.HEROPEND): _rule(A.COORDINATOR, reden_verplicht=True, why="The stop is reconsidered."),
}
# Stopping is possible from every open status, always with a public reason.
for _van in OPEN_STATUSES:
    ALLOWED_TRANSITIONS[(_van, S.GESTOPT)] = _rule(
        A.COORDINATOR, reden_verplicht=True, why="The team stops the actie; residents read why."
    )

REDEN_VERPLICHT = _("Geef een reden op die bewoners kunnen lezen.")


def rule_for(van: str, naar: str) -> Rule | None:
    """The rule that allows moving from `van` to `naar`, or None when the move is not allowed."""
    return ALLOWED_TRANSITIONS.get((van, naar))


def next_statuses_for(van: str, actors: set[Actor]) -> list[str]:
    """Statuses a person with these actor roles may move an actie in status `van` to."""
    return [naar for (v, naar), rule in ALLOWED_TRANSITIONS.items() if v == van and rule.actors & actors]
