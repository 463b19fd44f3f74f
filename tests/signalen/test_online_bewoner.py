"""A resident confirming online (core.actors.BEWONER) may log support and a signal, on kanaal online only."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.actors import BEWONER, TALLY
from signalen.models import Kanaal, StatusWijziging
from signalen.services.huishouden import huishouden_hash
from signalen.services.signalen import signaal_log
from signalen.services.steun import steun_register
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def thema(team):
    return f.ThemaFactory(gemeente=team.gemeente)


def register(signaal, *, door=BEWONER, kanaal=Kanaal.ONLINE, **kwargs):
    return steun_register(
        signaal=signaal,
        door=door,
        kanaal=kanaal,
        datum=timezone.localdate(),
        postcode="",
        huisnummer="",
        **kwargs,
    )


def test_bewoner_registers_a_precomputed_household_online_without_a_user(team, thema):
    signaal = f.SignaalFactory(team=team, thema=thema)
    hash_ = huishouden_hash(postcode="6211 AB", huisnummer="1")
    steun = register(signaal, huishouden=hash_)
    assert (steun.huishouden_hash, steun.kanaal, steun.created_by) == (hash_, Kanaal.ONLINE, None)


@pytest.mark.parametrize(("door", "kanaal"), [(BEWONER, Kanaal.HUISBEZOEK), (TALLY, Kanaal.ONLINE)])
def test_other_channels_or_system_actors_are_no_team_members(team, thema, door, kanaal):
    signaal = f.SignaalFactory(team=team, thema=thema)
    with pytest.raises(PermissionDenied):
        register(signaal, door=door, kanaal=kanaal, huishouden="a" * 64)


def test_bewoner_cannot_support_a_confidential_signal(team, thema):
    signaal = f.SignaalFactory(team=team, thema=thema, vertrouwelijk=True)
    with pytest.raises(PermissionDenied):
        register(signaal, huishouden="a" * 64)


def test_bewoner_logs_a_signal_online_and_the_history_names_no_person(team, thema):
    signaal = signaal_log(
        team=team, door=BEWONER, titel="Wens", thema=thema, kanaal=Kanaal.ONLINE, lat=50.85, lon=5.69
    )
    assert signaal.created_by is None and signaal.kanaal == Kanaal.ONLINE
    assert StatusWijziging.objects.get(signaal=signaal).door is None
    with pytest.raises(PermissionDenied):
        signaal_log(
            team=team, door=BEWONER, titel="Wens", thema=thema, kanaal=Kanaal.VRAGENLIJST, lat=50.85, lon=5.69
        )
