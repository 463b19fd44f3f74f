"""Every allowed and every refused actie status transition, and the signals following their actie."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from acties.models import Actie, ActieSignaal, ActieStatus, ActieStatusWijziging
from acties.services import TERUG_AFGEWEZEN, TERUG_TRIAGE, actie_status_change
from acties.workflow import ALLOWED_TRANSITIONS, CLOSED_STATUSES, OPEN_STATUSES, Actor
from audit.models import AuditRegel
from signalen.models import Status, StatusWijziging, TriageUitkomst
from tests import factories as f

pytestmark = pytest.mark.django_db

ALL = list(ActieStatus.values)
ALLOWED = sorted(ALLOWED_TRANSITIONS)
REFUSED = [(van, naar) for van in ALL for naar in ALL if (van, naar) not in ALLOWED_TRANSITIONS]

# The status a linked signal has while its actie is in a status.
SIGNAAL_BIJ = {
    ActieStatus.GEPLAND: Status.GETRIEERD,
    ActieStatus.IN_UITVOERING: Status.IN_ACTIE,
    ActieStatus.AFGEROND: Status.AFGEROND,
    ActieStatus.GESTOPT: Status.AFGEWEZEN,
    ActieStatus.HEROPEND: Status.IN_ACTIE,
}
# Where the linked signal goes with the move (stopping: the "afgewezen" choice).
SIGNAAL_NA = {
    (ActieStatus.GEPLAND, ActieStatus.IN_UITVOERING): Status.IN_ACTIE,
    (ActieStatus.HEROPEND, ActieStatus.IN_UITVOERING): Status.IN_ACTIE,
    (ActieStatus.IN_UITVOERING, ActieStatus.AFGEROND): Status.AFGEROND,
    (ActieStatus.HEROPEND, ActieStatus.AFGEROND): Status.AFGEROND,
    (ActieStatus.AFGEROND, ActieStatus.HEROPEND): Status.IN_ACTIE,
    (ActieStatus.GESTOPT, ActieStatus.HEROPEND): Status.GETRIEERD,
    **{(van, ActieStatus.GESTOPT): Status.AFGEWEZEN for van in OPEN_STATUSES},
}


@pytest.fixture
def people(team, coordinator, trekker, betrokkene, teamlid, buitenstaander):
    return {
        Actor.COORDINATOR: coordinator,
        Actor.BETROKKEN: betrokkene,
        "teamlid": teamlid,
        "buitenstaander": buitenstaander,
    }


def _actie(team, trekker, thema, status, signaal_status=None):
    actie = f.ActieFactory(team=team, trekker=trekker, status=status)
    signaal = f.SignaalFactory(
        team=team,
        thema=thema,
        status=signaal_status or SIGNAAL_BIJ[status],
        triage_uitkomst=TriageUitkomst.INTEGRAAL,
    )
    ActieSignaal.objects.create(actie=actie, signaal=signaal)
    return actie, signaal


def _door_for(rule, people):
    return people[Actor.BETROKKEN] if Actor.BETROKKEN in rule.actors else people[Actor.COORDINATOR]


def test_every_rule_has_a_reason_and_every_open_status_can_be_stopped():
    assert all(rule.why for rule in ALLOWED_TRANSITIONS.values())
    for van in OPEN_STATUSES:
        assert ALLOWED_TRANSITIONS[(van, ActieStatus.GESTOPT)].reden_verplicht
    for van in CLOSED_STATUSES:
        assert ALLOWED_TRANSITIONS[(van, ActieStatus.HEROPEND)].reden_verplicht


@pytest.mark.parametrize(("van", "naar"), ALLOWED, ids=[f"{v}->{n}" for v, n in ALLOWED])
def test_allowed_transition_and_the_signal_follows(people, team, trekker, thema, van, naar):
    rule = ALLOWED_TRANSITIONS[(van, naar)]
    actie, signaal = _actie(team, trekker, thema, van)
    door = _door_for(rule, people)
    actie_status_change(
        actie=actie,
        naar=naar,
        door=door,
        reden="Besproken in het teamoverleg.",
        signalen_terug={signaal.pk: TERUG_AFGEWEZEN} if naar == ActieStatus.GESTOPT else None,
    )
    actie.refresh_from_db()
    signaal.refresh_from_db()
    assert actie.status == naar
    assert signaal.status == SIGNAAL_NA[(van, naar)]
    wijziging = ActieStatusWijziging.objects.get(actie=actie)
    assert (wijziging.van, wijziging.naar, wijziging.door) == (van, naar, door)
    assert AuditRegel.objects.filter(actie="actie.status", object_id=str(actie.pk)).count() == 1
    if naar == ActieStatus.IN_UITVOERING:
        assert actie.in_uitvoering_at is not None
    if naar == ActieStatus.AFGEROND:
        assert actie.afgerond_at is not None
    if rule.reden_verplicht:
        assert actie.publieke_reden == "Besproken in het teamoverleg."


@pytest.mark.parametrize(("van", "naar"), REFUSED, ids=[f"{v}->{n}" for v, n in REFUSED])
def test_refused_transition_writes_nothing(people, team, trekker, thema, van, naar):
    actie, signaal = _actie(team, trekker, thema, van)
    with pytest.raises(ValidationError) as exc:
        actie_status_change(actie=actie, naar=naar, door=people[Actor.COORDINATOR], reden="Reden.")
    assert exc.value.messages[0]  # a Dutch message
    actie.refresh_from_db()
    signaal.refresh_from_db()
    assert actie.status == van
    assert signaal.status == SIGNAAL_BIJ[van]
    assert not ActieStatusWijziging.objects.filter(actie=actie).exists()
    assert not StatusWijziging.objects.filter(signaal=signaal).exists()


def test_second_afgerond_is_refused_in_dutch(people, team, trekker, thema):
    actie, _signaal = _actie(team, trekker, thema, ActieStatus.AFGEROND)
    with pytest.raises(ValidationError, match="al afgerond"):
        actie_status_change(actie=actie, naar=ActieStatus.AFGEROND, door=people[Actor.COORDINATOR])


@pytest.mark.parametrize(("van", "naar"), ALLOWED, ids=[f"{v}->{n}" for v, n in ALLOWED])
def test_wrong_person_is_refused(people, team, trekker, thema, van, naar):
    rule = ALLOWED_TRANSITIONS[(van, naar)]
    actie, signaal = _actie(team, trekker, thema, van)
    refused = ["teamlid", "buitenstaander"]
    if Actor.BETROKKEN not in rule.actors:
        refused.append(Actor.BETROKKEN)
    for who in refused:
        with pytest.raises(PermissionDenied) as exc:
            actie_status_change(
                actie=actie,
                naar=naar,
                door=people[who],
                reden="Reden.",
                signalen_terug={signaal.pk: TERUG_AFGEWEZEN},
            )
        assert "Alleen" in str(exc.value)
    actie.refresh_from_db()
    assert actie.status == van
    assert not ActieStatusWijziging.objects.filter(actie=actie).exists()


@pytest.mark.parametrize("naar", [ActieStatus.GESTOPT, ActieStatus.HEROPEND])
def test_a_public_reason_is_required(people, team, trekker, thema, naar):
    van = ActieStatus.GEPLAND if naar == ActieStatus.GESTOPT else ActieStatus.AFGEROND
    actie, signaal = _actie(team, trekker, thema, van)
    with pytest.raises(ValidationError) as exc:
        actie_status_change(
            actie=actie,
            naar=naar,
            door=people[Actor.COORDINATOR],
            reden="  ",
            signalen_terug={signaal.pk: "afgewezen"},
        )
    assert "reden" in exc.value.message_dict
    actie.refresh_from_db()
    assert actie.status == van


def test_stopping_asks_a_decision_for_every_open_signal(people, team, trekker, thema):
    actie, signaal = _actie(team, trekker, thema, ActieStatus.IN_UITVOERING)
    tweede = f.SignaalFactory(team=team, thema=thema, status=Status.IN_ACTIE, triage_uitkomst="integraal")
    ActieSignaal.objects.create(actie=actie, signaal=tweede)
    door = people[Actor.COORDINATOR]
    for keuzes in (None, {signaal.pk: TERUG_TRIAGE}, {signaal.pk: "weg", tweede.pk: TERUG_TRIAGE}):
        with pytest.raises(ValidationError) as exc:
            actie_status_change(
                actie=actie, naar=ActieStatus.GESTOPT, door=door, reden="Geen budget.", signalen_terug=keuzes
            )
        assert "signalen_terug" in exc.value.message_dict
    actie.refresh_from_db()
    assert actie.status == ActieStatus.IN_UITVOERING
    assert not StatusWijziging.objects.filter(signaal__in=[signaal, tweede]).exists()

    actie_status_change(
        actie=actie,
        naar=ActieStatus.GESTOPT,
        door=door,
        reden="Geen budget.",
        signalen_terug={str(signaal.pk): TERUG_TRIAGE, tweede.pk: TERUG_AFGEWEZEN},
    )
    signaal.refresh_from_db()
    tweede.refresh_from_db()
    # Back to triage: draagvlak bereikt, no longer in the actie, triage decision cleared.
    assert signaal.status == Status.DRAAGVLAK_BEREIKT
    assert signaal.triage_uitkomst == ""
    assert not ActieSignaal.objects.filter(signaal=signaal).exists()
    # Afgewezen with the actie's public reason, still shown with the actie.
    assert tweede.status == Status.AFGEWEZEN
    assert tweede.statuswijzigingen.get().reden == "Geen budget."
    assert ActieSignaal.objects.filter(signaal=tweede, actie=actie).exists()


def test_signals_follow_through_the_whole_life_of_an_actie(
    people, team, trekker, thema, signaal_met_draagvlak
):
    from acties.services import actie_create_from_signalen

    coordinator, betrokkene = people[Actor.COORDINATOR], people[Actor.BETROKKEN]
    signalen = [signaal_met_draagvlak(), signaal_met_draagvlak()]
    actie = actie_create_from_signalen(
        signalen=signalen, titel="Speeltuin", trekker=trekker, door=coordinator
    )

    def statuses():
        return sorted({s.status for s in actie_signalen(actie)})

    assert statuses() == [Status.GETRIEERD]
    actie_status_change(actie=actie, naar=ActieStatus.IN_UITVOERING, door=betrokkene)
    assert statuses() == [Status.IN_ACTIE]
    actie_status_change(actie=actie, naar=ActieStatus.AFGEROND, door=betrokkene)
    assert statuses() == [Status.AFGEROND]
    actie_status_change(
        actie=actie, naar=ActieStatus.HEROPEND, door=coordinator, reden="Het speeltoestel is weer stuk."
    )
    assert statuses() == [Status.IN_ACTIE]
    actie_status_change(
        actie=actie,
        naar=ActieStatus.GESTOPT,
        door=coordinator,
        reden="De gemeente vervangt de speeltuin.",
        signalen_terug={s.pk: TERUG_AFGEWEZEN for s in signalen},
    )
    assert statuses() == [Status.AFGEWEZEN]
    actie_status_change(
        actie=actie, naar=ActieStatus.HEROPEND, door=coordinator, reden="Toch niet vervangen."
    )
    assert statuses() == [Status.GETRIEERD]
    actie_status_change(actie=actie, naar=ActieStatus.AFGEROND, door=betrokkene)
    assert statuses() == [Status.AFGEROND]
    assert Actie.objects.get(pk=actie.pk).status == ActieStatus.AFGEROND


def actie_signalen(actie):
    from signalen.models import Signaal

    return Signaal.objects.filter(actie_koppeling__actie=actie)
