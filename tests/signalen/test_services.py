"""Logging a signal and a street walk: the rules, and bad input that writes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from buurten.models import Rol
from core.actors import DEMO
from core.geojson import COORDINATEN_BUITEN_BEREIK
from signalen.models import Kanaal, Signaal, Status, StatusWijziging, Thema, Wijkronde
from signalen.selectors import signaal_nearby
from signalen.services import DEFAULT_THEMAS, signaal_log, thema_seed_defaults, wijkronde_create
from tests import factories as f

pytestmark = pytest.mark.django_db

# A second square east of the factories' SQUARE, for "another buurt".
EAST = {
    "type": "Polygon",
    "coordinates": [[[5.72, 50.84], [5.74, 50.84], [5.74, 50.86], [5.72, 50.86], [5.72, 50.84]]],
}


@pytest.fixture
def lid():
    return f.LidmaatschapFactory(rol=Rol.TEAMLID)


@pytest.fixture
def thema(lid):
    return f.ThemaFactory(gemeente=lid.team.gemeente, naam="zwerfvuil")


def _log(lid, thema, **kwargs):
    data = {
        "team": lid.team,
        "door": lid.user,
        "titel": "Zwerfvuil bij de speeltuin",
        "omschrijving": "Vooral na het weekend.",
        "thema": thema,
        "kanaal": Kanaal.STRAATGESPREK,
        "lat": 50.85,
        "lon": 5.69,
    }
    data.update(kwargs)
    return signaal_log(**data)


def test_log_sets_buurt_from_point_and_starts_as_nieuw(lid, thema):
    signaal = _log(lid, thema)
    assert signaal.buurt == lid.team.buurten.get()
    assert signaal.status == Status.NIEUW
    assert signaal.created_by == lid.user
    assert not signaal.vertrouwelijk
    row = StatusWijziging.objects.get(signaal=signaal)
    assert (row.van, row.naar, row.door) == ("", Status.NIEUW, lid.user)


def test_log_takes_the_subgebied_from_its_polygon(lid, thema):
    buurt = lid.team.buurten.get()
    straat = f.SubgebiedFactory(
        team=lid.team,
        buurt=buurt,
        naam="Speeltuinstraat",
        geometrie={
            "type": "Polygon",
            "coordinates": [
                [[5.688, 50.848], [5.692, 50.848], [5.692, 50.852], [5.688, 50.852], [5.688, 50.848]]
            ],
        },
    )
    assert _log(lid, thema).subgebied == straat
    assert _log(lid, thema, lat=50.845, lon=5.685).subgebied is None


def test_a_signal_about_a_person_is_confidential(lid, thema):
    signaal = _log(lid, thema, over_persoon=True, vertrouwelijk=False)
    assert signaal.vertrouwelijk and signaal.over_persoon


def test_an_explicit_buurt_of_the_team_wins(lid, thema):
    tweede = f.BuurtFactory(wijk__gemeente=lid.team.gemeente, geometrie=EAST)
    lid.team.buurten.add(tweede)
    assert _log(lid, thema, buurt=tweede).buurt == tweede


def test_point_in_the_teams_second_buurt(lid, thema):
    tweede = f.BuurtFactory(
        wijk__gemeente=lid.team.gemeente,
        geometrie=EAST,
        min_lon=5.72,
        min_lat=50.84,
        max_lon=5.74,
        max_lat=50.86,
    )
    lid.team.buurten.add(tweede)
    assert _log(lid, thema, lat=50.85, lon=5.73).buurt == tweede


def _assert_refused(lid, thema, field, message, **kwargs):
    with pytest.raises(ValidationError) as exc:
        _log(lid, thema, **kwargs)
    assert message in exc.value.message_dict[field]
    assert Signaal.objects.count() == 0
    assert StatusWijziging.objects.count() == 0


def test_point_outside_the_teams_buurten(lid, thema):
    # Inside another team's buurt, but not in this team's.
    f.TeamFactory(
        buurten=[f.BuurtFactory(geometrie=EAST, min_lon=5.72, min_lat=50.84, max_lon=5.74, max_lat=50.86)]
    )
    for lat, lon in [(50.85, 5.73), (51.5, 4.0)]:
        _assert_refused(
            lid,
            thema,
            "locatie",
            "Deze plek ligt niet in een buurt van het team. Kies een punt binnen de buurten van het team.",
            lat=lat,
            lon=lon,
        )


@pytest.mark.parametrize("titel", ["", "   "])
def test_empty_title(lid, thema, titel):
    _assert_refused(lid, thema, "titel", "Geef het signaal een korte titel.", titel=titel)


def test_thema_of_another_gemeente(lid):
    heerlen = f.GemeenteFactory(code="GM0917", naam="Heerlen")
    _assert_refused(
        lid, f.ThemaFactory(gemeente=heerlen), "thema", "Dit thema hoort niet bij de gemeente van het team."
    )


def test_buurt_not_of_the_team(lid, thema):
    _assert_refused(lid, thema, "buurt", "Deze buurt hoort niet bij het team.", buurt=f.BuurtFactory())


def test_subgebied_of_another_team(lid, thema):
    other = f.SubgebiedFactory()
    _assert_refused(
        lid, thema, "subgebied", "Dit subgebied hoort niet bij deze buurt van het team.", subgebied=other
    )


@pytest.mark.parametrize(("lat", "lon"), [(None, None), ("abc", 5.69), (float("nan"), 5.69)])
def test_missing_or_invalid_point(lid, thema, lat, lon):
    _assert_refused(lid, thema, "locatie", "Zet een punt op de kaart.", lat=lat, lon=lon)


def test_point_outside_the_world(lid, thema):
    _assert_refused(lid, thema, "locatie", str(COORDINATEN_BUITEN_BEREIK), lat=95, lon=5.69)


def test_bad_kanaal(lid, thema):
    _assert_refused(lid, thema, "kanaal", "Kies hoe het signaal gehoord is.", kanaal="telepathie")


def test_only_team_members_log(thema):
    outsider = f.LidmaatschapFactory(team=f.TeamFactory(gemeente=thema.gemeente))
    team = f.TeamFactory(gemeente=thema.gemeente)
    with pytest.raises(PermissionDenied):
        signaal_log(
            team=team,
            door=outsider.user,
            titel="X",
            thema=thema,
            kanaal=Kanaal.VRAGENLIJST,
            lat=50.85,
            lon=5.69,
        )
    assert Signaal.objects.count() == 0


# "Steun dit signaal in plaats van een nieuw"


def test_nearby_open_signals_of_the_same_thema(lid, thema):
    team = lid.team
    ander_thema = f.ThemaFactory(gemeente=team.gemeente, naam="verlichting")
    dichtbij = f.SignaalFactory(team=team, thema=thema, lat=50.8500, lon=5.6910)  # ~71 m east
    dichterbij = f.SignaalFactory(team=team, thema=thema, lat=50.8503, lon=5.6900)  # ~33 m north
    f.SignaalFactory(team=team, thema=thema, lat=50.8520, lon=5.6900)  # ~222 m: too far
    f.SignaalFactory(team=team, thema=ander_thema, lat=50.8500, lon=5.6901)  # other thema
    f.SignaalFactory(team=team, thema=thema, lat=50.8500, lon=5.6901, status=Status.AFGEROND)  # closed
    f.SignaalFactory(thema=thema, lat=50.8500, lon=5.6901)  # another team
    found = signaal_nearby(team=team, thema=thema, lat=50.85, lon=5.69)
    assert found == [dichterbij, dichtbij]
    assert 30 < found[0].afstand_m < 36 and 65 < found[1].afstand_m < 76


# Wijkronde


def test_wijkronde_create(lid):
    team = lid.team
    collega = f.LidmaatschapFactory(team=team).user
    politie = f.PartnerFactory(gemeente=team.gemeente, naam="Politie Limburg")
    ronde = wijkronde_create(
        team=team,
        door=lid.user,
        datum=timezone.localdate(),
        buurten=list(team.buurten.all()),
        lopers=[lid.user, collega],
        meegelopen_partners=[politie],
        notities="Rondje rond het plein.",
        route={"type": "LineString", "coordinates": [[5.685, 50.845], [5.695, 50.855]]},
    )
    assert set(ronde.lopers.all()) == {lid.user, collega}
    assert list(ronde.meegelopen_partners.all()) == [politie]
    assert ronde.created_by == lid.user


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"buurten": []}, "buurten", "Kies minstens één buurt van het team."),
        ({"buurten": "andere"}, "buurten", "Kies alleen buurten van het team."),
        (
            {"lopers": "buitenstaander"},
            "lopers",
            "Alleen leden van het team kunnen als loper worden gekozen.",
        ),
        (
            {"meegelopen_partners": "andere"},
            "meegelopen_partners",
            "Deze partner hoort niet bij de gemeente van dit team.",
        ),
        ({"datum": "morgen"}, "datum", "Een wijkronde kan niet in de toekomst liggen."),
        (
            {"route": {"type": "Point", "coordinates": [5.6, 50.8]}},
            "route",
            "De route is geen geldige lijn op de kaart.",
        ),
    ],
)
def test_wijkronde_bad_input_writes_nothing(lid, change, field, message):
    team = lid.team
    data = {
        "team": team,
        "door": lid.user,
        "datum": timezone.localdate(),
        "buurten": list(team.buurten.all()),
        "lopers": [lid.user],
        "meegelopen_partners": [],
    }
    value = next(iter(change.values()))
    data[field] = (
        {
            "andere": [f.BuurtFactory()]
            if field == "buurten"
            else [f.PartnerFactory(gemeente__code="GM0917")],
            "buitenstaander": [f.UserFactory()],
            "morgen": timezone.localdate() + dt.timedelta(days=1),
        }.get(value, value)
        if isinstance(value, str)
        else value
    )
    with pytest.raises(ValidationError) as exc:
        wijkronde_create(**data)
    assert exc.value.message_dict[field] == [message]
    assert Wijkronde.objects.count() == 0


# Themas


def test_thema_seed_defaults_is_idempotent():
    gemeente = f.GemeenteFactory()
    Thema.objects.create(gemeente=gemeente, naam="zwerfvuil", actief=False)
    first = thema_seed_defaults(gemeente=gemeente, door=DEMO)
    again = thema_seed_defaults(gemeente=gemeente, door=DEMO)
    assert [t.naam for t in first] == DEFAULT_THEMAS == [t.naam for t in again]
    assert Thema.objects.filter(gemeente=gemeente).count() == 10
    assert not Thema.objects.get(gemeente=gemeente, naam="zwerfvuil").actief  # existing ones are kept
