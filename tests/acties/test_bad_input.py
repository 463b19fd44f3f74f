"""Bad input of issue #8 for the acties services: a clear Dutch message, nothing written."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from acties.models import (
    Actie,
    ActieSignaal,
    ActieStatusWijziging,
    BewonerTrekker,
    Mijlpaal,
    Voortgangsupdate,
    VoortgangWijziging,
)
from acties.services import (
    actie_create_from_signalen,
    actie_signalen_koppelen,
    actie_update,
    actie_voortgang_zetten,
    bewoner_remove,
    bewoners_add,
    mijlpaal_add,
    mijlpaal_afvinken,
    notitie_add,
    voortgangsupdate_post,
)
from audit.models import AuditRegel
from signalen.models import Status, StatusWijziging, TriageUitkomst
from tests import factories as f
from tests.signalen.test_fotos import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def actie(team, trekker, coordinator, signaal_met_draagvlak):
    return actie_create_from_signalen(
        signalen=[signaal_met_draagvlak()], titel="Speeltuin", trekker=trekker, door=coordinator
    )


def _nothing_written():
    assert not Actie.objects.exists()
    assert not ActieSignaal.objects.exists()
    assert not StatusWijziging.objects.exists()
    assert not AuditRegel.objects.filter(actie__startswith="actie").exists()


def _messages(exc) -> str:
    return " ".join(exc.value.messages)


def test_signals_of_two_teams(team, coordinator, trekker, ander_team, signaal_met_draagvlak):
    elders = f.SignaalFactory(team=ander_team, status=Status.DRAAGVLAK_BEREIKT)
    with pytest.raises(ValidationError) as exc:
        actie_create_from_signalen(
            signalen=[signaal_met_draagvlak(), elders], titel="X", trekker=trekker, door=coordinator
        )
    assert "verschillende teams" in _messages(exc)
    _nothing_written()


@pytest.mark.parametrize(
    "status", [Status.NIEUW, Status.DRAAGVLAK_GEZOCHT, Status.AFGEWEZEN, Status.IN_ACTIE]
)
def test_a_signal_without_draagvlak_and_not_triaged(team, coordinator, trekker, thema, status):
    signaal = f.SignaalFactory(team=team, thema=thema, status=status)
    with pytest.raises(ValidationError) as exc:
        actie_create_from_signalen(signalen=[signaal], titel="X", trekker=trekker, door=coordinator)
    assert "geen draagvlak" in _messages(exc)
    _nothing_written()


def test_a_forwarded_signal(team, coordinator, trekker, thema):
    signaal = f.SignaalFactory(
        team=team, thema=thema, status=Status.GETRIEERD, triage_uitkomst=TriageUitkomst.PRIMAIRE_TAAK
    )
    with pytest.raises(ValidationError) as exc:
        actie_create_from_signalen(signalen=[signaal], titel="X", trekker=trekker, door=coordinator)
    assert "primaire taak" in _messages(exc)
    _nothing_written()


def test_a_signal_already_in_an_actie(actie, coordinator, trekker):
    signaal = actie.koppelingen.get().signaal
    with pytest.raises(ValidationError) as exc:
        actie_create_from_signalen(signalen=[signaal], titel="Nog een", trekker=trekker, door=coordinator)
    assert "hoort al bij de actie" in _messages(exc)
    assert Actie.objects.count() == 1


def test_no_signals_no_title_and_end_before_start(coordinator, trekker, signaal_met_draagvlak):
    with pytest.raises(ValidationError) as exc:
        actie_create_from_signalen(signalen=[], titel="X", trekker=trekker, door=coordinator)
    assert "minstens één signaal" in _messages(exc)
    signaal = signaal_met_draagvlak()
    with pytest.raises(ValidationError) as exc:
        actie_create_from_signalen(
            signalen=[signaal],
            titel="   ",
            trekker=trekker,
            start=dt.date(2026, 5, 1),
            eind=dt.date(2026, 4, 1),
            door=coordinator,
        )
    assert set(exc.value.message_dict) == {"titel", "eind"}
    assert "vóór de start" in exc.value.message_dict["eind"][0]
    _nothing_written()
    signaal.refresh_from_db()
    assert signaal.status == Status.DRAAGVLAK_BEREIKT


def test_partners_of_another_gemeente(coordinator, trekker, ander_team, signaal_met_draagvlak):
    elders = f.PartnerFactory(gemeente=ander_team.gemeente)
    with pytest.raises(ValidationError) as exc:
        actie_create_from_signalen(
            signalen=[signaal_met_draagvlak()], titel="X", trekker=elders, door=coordinator
        )
    assert "gemeente van dit team" in exc.value.message_dict["trekker"][0]
    with pytest.raises(ValidationError) as exc:
        actie_create_from_signalen(
            signalen=[signaal_met_draagvlak()],
            titel="X",
            trekker=trekker,
            partners=[elders],
            door=coordinator,
        )
    assert "partners" in exc.value.message_dict
    _nothing_written()


def test_a_subgebied_of_another_team(coordinator, trekker, ander_team, signaal_met_draagvlak):
    sub = f.SubgebiedFactory(team=ander_team)
    with pytest.raises(ValidationError) as exc:
        actie_create_from_signalen(
            signalen=[signaal_met_draagvlak()], titel="X", trekker=trekker, subgebied=sub, door=coordinator
        )
    assert "subgebied" in exc.value.message_dict
    _nothing_written()


def test_update_end_before_start(actie, coordinator, trekker):
    with pytest.raises(ValidationError) as exc:
        actie_update(
            actie=actie,
            titel="Andere titel",
            omschrijving="",
            trekker=trekker,
            partners=[],
            start=dt.date(2026, 5, 1),
            eind=dt.date(2026, 4, 1),
            subgebied=None,
            door=coordinator,
        )
    assert "eind" in exc.value.message_dict
    actie.refresh_from_db()
    assert actie.titel == "Speeltuin"
    assert not AuditRegel.objects.filter(actie="actie.update").exists()


def test_linking_signals_of_another_team_or_to_a_closed_actie(
    actie, coordinator, ander_team, signaal_met_draagvlak
):
    elders = f.SignaalFactory(team=ander_team, status=Status.DRAAGVLAK_BEREIKT)
    with pytest.raises(ValidationError):
        actie_signalen_koppelen(actie=actie, signalen=[elders], door=coordinator)
    Actie.objects.filter(pk=actie.pk).update(status="gestopt")
    signaal = signaal_met_draagvlak()
    with pytest.raises(ValidationError) as exc:
        actie_signalen_koppelen(actie=actie, signalen=[signaal], door=coordinator)
    assert "afgesloten" in _messages(exc)
    assert actie.koppelingen.count() == 1


@pytest.mark.parametrize("voortgang", [101, -1, "veel", None])
def test_progress_out_of_range(actie, betrokkene, voortgang):
    with pytest.raises(ValidationError) as exc:
        actie_voortgang_zetten(actie=actie, voortgang=voortgang, door=betrokkene)
    assert "0 tot en met 100" in _messages(exc)
    assert not VoortgangWijziging.objects.exists()


def test_progress_back_without_a_reason(actie, betrokkene):
    actie_voortgang_zetten(actie=actie, voortgang=60, door=betrokkene)
    with pytest.raises(ValidationError) as exc:
        actie_voortgang_zetten(actie=actie, voortgang=50, door=betrokkene, reden=" ")
    assert "geef een reden" in _messages(exc)
    actie.refresh_from_db()
    assert actie.voortgang_handmatig == 60
    assert VoortgangWijziging.objects.count() == 1


def test_progress_by_hand_refused_with_milestones(actie, betrokkene):
    f.MijlpaalFactory(actie=actie)
    with pytest.raises(ValidationError) as exc:
        actie_voortgang_zetten(actie=actie, voortgang=50, door=betrokkene)
    assert "mijlpalen" in _messages(exc)


def test_unticking_a_milestone_without_a_reason(actie, betrokkene):
    mijlpaal = f.MijlpaalFactory(actie=actie)
    mijlpaal_afvinken(mijlpaal=mijlpaal, gedaan=True, door=betrokkene)
    with pytest.raises(ValidationError) as exc:
        mijlpaal_afvinken(mijlpaal=mijlpaal, gedaan=False, door=betrokkene)
    assert "geef een reden" in _messages(exc)
    mijlpaal.refresh_from_db()
    assert mijlpaal.gedaan_at is not None


def test_a_milestone_of_another_actie(actie, team, trekker, betrokkene):
    andere = f.ActieFactory(team=team, trekker=trekker)
    mijlpaal = f.MijlpaalFactory(actie=andere)
    with pytest.raises(ValidationError) as exc:
        mijlpaal_afvinken(mijlpaal=mijlpaal, gedaan=True, door=betrokkene, actie=actie)
    assert "hoort niet bij deze actie" in _messages(exc)
    mijlpaal.refresh_from_db()
    assert mijlpaal.gedaan_at is None


@pytest.mark.parametrize(("titel", "gewicht"), [("", 1), ("Plaatsen", 0), ("Plaatsen", 101), ("x" * 161, 1)])
def test_milestone_bad_input(actie, coordinator, titel, gewicht):
    with pytest.raises(ValidationError):
        mijlpaal_add(actie=actie, titel=titel, gewicht=gewicht, door=coordinator)
    assert not Mijlpaal.objects.exists()


def test_an_update_with_a_non_image_photo(actie, betrokkene):
    with pytest.raises(ValidationError) as exc:
        voortgangsupdate_post(
            actie=actie, tekst="Gedaan.", door=betrokkene, foto=upload(b"%PDF-1.4 geen foto", name="foto.jpg")
        )
    assert "geen foto" in exc.value.message_dict["foto"][0]
    assert not Voortgangsupdate.objects.exists()
    assert not AuditRegel.objects.filter(actie="voortgangsupdate.post").exists()


def test_an_update_without_text_or_in_the_future(actie, betrokkene):
    from django.utils import timezone

    with pytest.raises(ValidationError) as exc:
        voortgangsupdate_post(
            actie=actie, tekst=" ", datum=timezone.localdate() + dt.timedelta(days=2), door=betrokkene
        )
    assert set(exc.value.message_dict) == {"tekst", "datum"}
    assert not Voortgangsupdate.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "veld"),
    [
        ({"aantal": 0}, "aantal"),
        ({"aantal": 1001}, "aantal"),
        ({"voornaam": "Piet"}, "toestemming"),
        ({"email": "piet@example.nl"}, "toestemming"),
        ({"email": "geen-adres", "toestemming": True}, "email"),
    ],
)
def test_residents_bad_input(actie, betrokkene, kwargs, veld):
    with pytest.raises(ValidationError) as exc:
        bewoners_add(actie=actie, door=betrokkene, **kwargs)
    assert veld in exc.value.message_dict
    assert not BewonerTrekker.objects.exists()
    actie.refresh_from_db()
    assert actie.bewoners_aantal == 0


def test_residents_of_another_actie(actie, team, trekker, betrokkene):
    andere = f.ActieFactory(team=team, trekker=trekker)
    bewoner = BewonerTrekker.objects.create(actie=andere, aantal=2)
    with pytest.raises(ValidationError):
        bewoner_remove(bewoner=bewoner, door=betrokkene, actie=actie)
    assert BewonerTrekker.objects.filter(pk=bewoner.pk).exists()


def test_an_empty_note_or_one_for_a_partner_elsewhere(actie, betrokkene, ander_team):
    with pytest.raises(ValidationError):
        notitie_add(actie=actie, tekst="  ", door=betrokkene)
    with pytest.raises(ValidationError) as exc:
        notitie_add(
            actie=actie,
            tekst="X",
            door=betrokkene,
            alleen_partner=f.PartnerFactory(gemeente=ander_team.gemeente),
        )
    assert "alleen_partner" in exc.value.message_dict


def test_status_history_untouched_by_refused_input(actie):
    assert ActieStatusWijziging.objects.filter(actie=actie).count() == 1
