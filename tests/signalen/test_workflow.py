"""Every allowed and every refused status transition, against the database."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from buurten.models import Rol
from core.actors import TALLY
from signalen.models import Signaal, Status, StatusWijziging, TriageUitkomst
from signalen.services import signaal_status_change, signaal_triage
from signalen.workflow import (
    ALLEEN_VIA_ACTIE,
    ALLOWED_TRANSITIONS,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Actor,
    next_statuses,
)
from tests import factories as f
from tests.outbox import deliver_outbox
from tests.signalen.test_tally import wait_for

pytestmark = pytest.mark.django_db

ALL = list(Status.values)
ALLOWED = sorted(ALLOWED_TRANSITIONS)
REFUSED = [(van, naar) for van in ALL for naar in ALL if (van, naar) not in ALLOWED_TRANSITIONS]


@pytest.fixture
def people():
    team = f.TeamFactory()
    teamlid = f.LidmaatschapFactory(team=team, rol=Rol.TEAMLID).user
    coordinator = f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR).user
    buitenstaander = f.LidmaatschapFactory(rol=Rol.COORDINATOR).user  # coordinator of another team
    return {
        "team": team,
        Actor.SYSTEEM: TALLY,
        Actor.TEAMLID: teamlid,
        Actor.COORDINATOR: coordinator,
        "buitenstaander": buitenstaander,
    }


def _door_for(rule, people):
    for actor in (Actor.SYSTEEM, Actor.TEAMLID, Actor.COORDINATOR):
        if actor in rule.actors:
            return people[actor]
    raise AssertionError(rule)


def test_every_rule_has_a_reason_and_every_open_status_can_be_rejected():
    assert all(rule.why for rule in ALLOWED_TRANSITIONS.values())
    for van in OPEN_STATUSES:
        assert ALLOWED_TRANSITIONS[(van, Status.AFGEWEZEN)].reden_verplicht
    for van in CLOSED_STATUSES:
        # By hand a closed signal only reopens; a reopened actie takes its signals back into work.
        assert [naar for naar in next_statuses(van) if (van, naar) not in ALLEEN_VIA_ACTIE] == [
            Status.HEROPEND
        ]


@pytest.mark.parametrize(("van", "naar"), ALLOWED, ids=[f"{v}->{n}" for v, n in ALLOWED])
def test_allowed_transition(people, van, naar):
    rule = ALLOWED_TRANSITIONS[(van, naar)]
    door = _door_for(rule, people)
    signaal = f.SignaalFactory(team=people["team"], status=van)
    result = signaal_status_change(
        signaal=signaal, naar=naar, door=door, reden="Besproken in het teamoverleg."
    )
    signaal.refresh_from_db()
    assert signaal.status == naar == result.status
    assert signaal.status_gewijzigd_at is not None
    row = StatusWijziging.objects.get(signaal=signaal)
    # The system is stored as no person.
    opgeslagen = None if door is TALLY else door
    assert (row.van, row.naar, row.door, row.reden) == (
        van,
        naar,
        opgeslagen,
        "Besproken in het teamoverleg.",
    )


@pytest.mark.parametrize(("van", "naar"), REFUSED, ids=[f"{v}->{n}" for v, n in REFUSED])
def test_refused_transition_writes_nothing(people, van, naar):
    signaal = f.SignaalFactory(team=people["team"], status=van)
    with pytest.raises(ValidationError) as exc:
        signaal_status_change(
            signaal=signaal, naar=naar, door=people[Actor.COORDINATOR], reden="Omdat het moet."
        )
    assert "kan niet naar" in exc.value.messages[0]
    signaal.refresh_from_db()
    assert signaal.status == van
    assert not StatusWijziging.objects.exists()


WRONG_PERSON = [
    (van, naar, who)
    for (van, naar), rule in sorted(ALLOWED_TRANSITIONS.items())
    for who in (Actor.TEAMLID, Actor.COORDINATOR, "buitenstaander")
    if who == "buitenstaander"
    or not ({who, Actor.TEAMLID} if who == Actor.COORDINATOR else {who}) & rule.actors
]


@pytest.mark.parametrize(
    ("van", "naar", "who"), WRONG_PERSON, ids=[f"{v}->{n}-{w}" for v, n, w in WRONG_PERSON]
)
def test_transition_by_the_wrong_person_is_refused(people, van, naar, who):
    signaal = f.SignaalFactory(team=people["team"], status=van)
    with pytest.raises(PermissionDenied):
        signaal_status_change(signaal=signaal, naar=naar, door=people[who], reden="Omdat het moet.")
    signaal.refresh_from_db()
    assert signaal.status == van
    assert not StatusWijziging.objects.exists()


def test_nobody_but_the_tally_declares_draagvlak(people):
    signaal = f.SignaalFactory(team=people["team"], status=Status.DRAAGVLAK_GEZOCHT)
    with pytest.raises(PermissionDenied, match="steuntelling"):
        signaal_status_change(signaal=signaal, naar=Status.DRAAGVLAK_BEREIKT, door=people[Actor.COORDINATOR])


NEEDS_REASON = sorted(k for k, rule in ALLOWED_TRANSITIONS.items() if rule.reden_verplicht)


@pytest.mark.parametrize(("van", "naar"), NEEDS_REASON, ids=[f"{v}->{n}" for v, n in NEEDS_REASON])
def test_reason_required(people, van, naar):
    signaal = f.SignaalFactory(team=people["team"], status=van)
    with pytest.raises(ValidationError) as exc:
        signaal_status_change(signaal=signaal, naar=naar, door=people[Actor.COORDINATOR], reden="   ")
    assert exc.value.message_dict == {"reden": ["Geef een reden op."]}
    signaal.refresh_from_db()
    assert signaal.status == van
    assert not StatusWijziging.objects.exists()


def test_status_change_by_id(people):
    signaal = f.SignaalFactory(team=people["team"])
    moved = signaal_status_change(
        signaal_id=signaal.pk, naar=Status.DRAAGVLAK_GEZOCHT, door=people[Actor.TEAMLID]
    )
    assert moved.status == Status.DRAAGVLAK_GEZOCHT


def test_reopening_marks_the_signal_for_the_tally(celery_worker, people):
    signaal = f.SignaalFactory(team=people["team"], status=Status.AFGEROND)
    signaal_status_change(
        signaal=signaal, naar=Status.HEROPEND, door=people[Actor.COORDINATOR], reden="Weer overlast."
    )
    # The tally queued after commit moves it on: a reopened signal gathers support again.
    assert wait_for(lambda: Signaal.objects.get(pk=signaal.pk).status == Status.DRAAGVLAK_GEZOCHT)
    assert [(w.van, w.naar) for w in signaal.statuswijzigingen.all()] == [
        (Status.AFGEROND, Status.HEROPEND),
        (Status.HEROPEND, Status.DRAAGVLAK_GEZOCHT),
    ]


# Triage


def test_triage_integraal(people):
    signaal = f.SignaalFactory(team=people["team"], status=Status.DRAAGVLAK_BEREIKT)
    signaal_triage(
        signaal=signaal, uitkomst=TriageUitkomst.INTEGRAAL, door=people[Actor.COORDINATOR], reden=""
    )
    signaal.refresh_from_db()
    assert (signaal.status, signaal.triage_uitkomst, signaal.doorgezet_naar) == (
        Status.GETRIEERD,
        TriageUitkomst.INTEGRAAL,
        None,
    )


def test_triage_primaire_taak_emails_the_partner_without_resident_data(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    team = people["team"]
    partner = f.PartnerFactory(
        gemeente=team.gemeente, naam="Gemeente Maastricht", contact_email="mor@example.nl"
    )
    signaal = f.SignaalFactory(
        team=team,
        status=Status.DRAAGVLAK_BEREIKT,
        titel="Lantaarnpaal kapot",
        omschrijving="Al weken donker.",
    )
    f.SteunbetuigingFactory(signaal=signaal, email="bewoner@example.nl", email_toestemming=True)
    with django_capture_on_commit_callbacks(execute=True):
        signaal_triage(
            signaal=signaal,
            uitkomst=TriageUitkomst.PRIMAIRE_TAAK,
            door=people[Actor.COORDINATOR],
            partner=partner,
            reden="Onderhoud openbare verlichting.",
        )
    deliver_outbox()
    signaal.refresh_from_db()
    assert signaal.doorgezet_naar == partner
    assert signaal.triage_uitkomst == TriageUitkomst.PRIMAIRE_TAAK
    # The partner's mail, and the supporter's own (tests/signalen/test_steun_mail.py).
    assert sorted(m.to for m in mailoutbox) == [["bewoner@example.nl"], ["mor@example.nl"]]
    mail = next(m for m in mailoutbox if m.to == ["mor@example.nl"])
    assert "Lantaarnpaal kapot" in mail.body and "Al weken donker." in mail.body
    assert "bewoner@example.nl" not in mail.body
    steun_hash = signaal.steunbetuigingen.get().huishouden_hash
    assert steun_hash not in mail.body


def test_triage_of_a_confidential_signal_says_less(people, mailoutbox, django_capture_on_commit_callbacks):
    team = people["team"]
    partner = f.PartnerFactory(gemeente=team.gemeente)
    signaal = f.SignaalFactory(
        team=team,
        status=Status.DRAAGVLAK_BEREIKT,
        titel="Buurman dealt",
        omschrijving="Naam en huisnummer genoemd.",
        over_persoon=True,
        vertrouwelijk=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        signaal_triage(
            signaal=signaal,
            uitkomst=TriageUitkomst.PRIMAIRE_TAAK,
            door=people[Actor.COORDINATOR],
            partner=partner,
        )
    deliver_outbox()
    body = mailoutbox[0].body
    assert "vertrouwelijk" in body
    assert "Buurman dealt" not in body and "huisnummer" not in body


@pytest.mark.parametrize(
    ("uitkomst", "partner_kind", "field", "message"),
    [
        (
            TriageUitkomst.PRIMAIRE_TAAK,
            None,
            "partner",
            "Kies de partner naar wie het signaal wordt doorgezet.",
        ),
        (
            TriageUitkomst.PRIMAIRE_TAAK,
            "andere",
            "partner",
            "Deze partner hoort niet bij de gemeente van dit team.",
        ),
        (
            TriageUitkomst.INTEGRAAL,
            "eigen",
            "partner",
            "Een integraal signaal wordt niet doorgezet; kies geen partner.",
        ),
        ("onzin", None, "uitkomst", "Kies integraal of primaire taak."),
    ],
)
def test_triage_bad_input_writes_nothing(people, mailoutbox, uitkomst, partner_kind, field, message):
    team = people["team"]
    partner = {
        None: None,
        "eigen": f.PartnerFactory(gemeente=team.gemeente),
        "andere": f.PartnerFactory(gemeente=f.GemeenteFactory(code="GM0363", naam="Amsterdam")),
    }[partner_kind]
    signaal = f.SignaalFactory(team=team, status=Status.DRAAGVLAK_BEREIKT)
    with pytest.raises(ValidationError) as exc:
        signaal_triage(signaal=signaal, uitkomst=uitkomst, door=people[Actor.COORDINATOR], partner=partner)
    assert exc.value.message_dict == {field: [message]}
    signaal.refresh_from_db()
    assert signaal.status == Status.DRAAGVLAK_BEREIKT and signaal.triage_uitkomst == ""
    assert not StatusWijziging.objects.exists()
    assert mailoutbox == []


def test_triage_is_for_coordinators_only(people):
    signaal = f.SignaalFactory(team=people["team"], status=Status.DRAAGVLAK_BEREIKT)
    for who in (Actor.TEAMLID, "buitenstaander"):
        with pytest.raises(PermissionDenied):
            signaal_triage(signaal=signaal, uitkomst=TriageUitkomst.INTEGRAAL, door=people[who])
    signaal.refresh_from_db()
    assert signaal.status == Status.DRAAGVLAK_BEREIKT and signaal.triage_uitkomst == ""


def test_triage_before_draagvlak_is_refused(people):
    signaal = f.SignaalFactory(team=people["team"], status=Status.DRAAGVLAK_GEZOCHT)
    with pytest.raises(ValidationError, match="kan niet naar"):
        signaal_triage(signaal=signaal, uitkomst=TriageUitkomst.INTEGRAAL, door=people[Actor.COORDINATOR])
