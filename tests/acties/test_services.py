"""The acties services against the database: making an actie from signals, linking, details,
milestones, progress, updates, residents and notes; who may do what."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from acties import meldingen
from acties.models import (
    ActieSignaal,
    ActieStatus,
    ActieStatusWijziging,
    BewonerTrekker,
    Notitie,
    Voortgangsupdate,
    VoortgangWijziging,
)
from acties.selectors import (
    actie_for_user,
    actie_steun,
    actie_steun_many,
    acties_list_for_team,
    acties_stalled,
    acties_zoeken_bewoners,
    triage_queue_for_user,
)
from acties.services import (
    actie_create_from_signalen,
    actie_signalen_koppelen,
    actie_status_change,
    actie_update,
    actie_voortgang,
    actie_voortgang_zetten,
    bewoner_remove,
    bewoners_add,
    mijlpaal_add,
    mijlpaal_afvinken,
    notitie_add,
    voortgangsupdate_post,
)
from audit.models import AuditRegel
from buurten.models import Rol
from core.cache import buurt_version_key, cache_version
from signalen.models import Kanaal, Status, TriageUitkomst
from tests import factories as f
from tests.signalen.test_fotos import jpeg_with_gps, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def actie(team, trekker, coordinator, signaal_met_draagvlak):
    return actie_create_from_signalen(
        signalen=[signaal_met_draagvlak()], titel="Hondenpoep-aanpak", trekker=trekker, door=coordinator
    )


# --- making an actie -------------------------------------------------------------------------------


def test_create_from_related_signals_triages_them_integraal(
    team, coordinator, trekker, signaal_met_draagvlak, django_capture_on_commit_callbacks
):
    partner = f.PartnerFactory(gemeente=team.gemeente)
    eerste, tweede = signaal_met_draagvlak(), signaal_met_draagvlak()
    # Already triaged integraal (e.g. in the admin) and in no actie: may join as well.
    derde = signaal_met_draagvlak(status=Status.GETRIEERD, triage_uitkomst=TriageUitkomst.INTEGRAAL)
    versie = cache_version(buurt_version_key(team.buurten.first().pk))
    with (
        mock.patch.object(
            meldingen, "actie_aangemaakt_melden", wraps=meldingen.actie_aangemaakt_melden
        ) as melden,
        django_capture_on_commit_callbacks(execute=True),
    ):
        actie = actie_create_from_signalen(
            signalen=[eerste, tweede, derde],
            titel="  Speeltuin opknappen ",
            omschrijving="Samen met de buurt.",
            trekker=trekker,
            partners=[partner, trekker],
            start=dt.date(2026, 1, 1),
            eind=dt.date(2026, 3, 1),
            door=coordinator,
        )
    melden.assert_called_once_with(actie=actie, door=coordinator)
    assert actie.titel == "Speeltuin opknappen"
    assert actie.status == ActieStatus.GEPLAND
    assert actie.buurt_id == eerste.buurt_id
    assert list(actie.partners.all()) == [partner]  # the trekker is not also a participant
    for s in (eerste, tweede, derde):
        s.refresh_from_db()
        assert (s.status, s.triage_uitkomst) == (Status.GETRIEERD, TriageUitkomst.INTEGRAAL)
        assert s.actie_koppeling.actie_id == actie.pk
    assert ActieStatusWijziging.objects.get(actie=actie).naar == ActieStatus.GEPLAND
    audit = AuditRegel.objects.get(actie="actie.create")
    assert audit.details["signaal_ids"] == sorted([eerste.pk, tweede.pk, derde.pk])
    assert AuditRegel.objects.filter(actie="signaal.triage").count() == 2
    assert cache_version(buurt_version_key(team.buurten.first().pk)) > versie


def test_buurt_is_the_most_common_of_the_signals(team, coordinator, trekker, signaal_met_draagvlak):
    andere = f.BuurtFactory(wijk__gemeente=team.gemeente)
    team.buurten.add(andere)
    signalen = [
        signaal_met_draagvlak(),
        signaal_met_draagvlak(buurt=andere),
        signaal_met_draagvlak(buurt=andere),
    ]
    actie = actie_create_from_signalen(
        signalen=signalen, titel="Verlichting", trekker=trekker, door=coordinator
    )
    assert actie.buurt_id == andere.pk


def test_link_to_an_actie_in_uitvoering_puts_signals_in_actie(
    actie, coordinator, betrokkene, signaal_met_draagvlak
):
    actie_status_change(actie=actie, naar=ActieStatus.IN_UITVOERING, door=betrokkene)
    nieuw = signaal_met_draagvlak()
    actie_signalen_koppelen(actie=actie, signalen=[nieuw], door=coordinator)
    nieuw.refresh_from_db()
    assert nieuw.status == Status.IN_ACTIE
    assert nieuw.actie_koppeling.actie_id == actie.pk
    assert AuditRegel.objects.filter(actie="actie.signalen_koppelen").count() == 1


def test_only_a_coordinator_makes_or_links(
    team, trekker, betrokkene, teamlid, buitenstaander, signaal_met_draagvlak, actie
):
    signaal = signaal_met_draagvlak()
    for door in (betrokkene, teamlid, buitenstaander):
        with pytest.raises(PermissionDenied):
            actie_create_from_signalen(signalen=[signaal], titel="X", trekker=trekker, door=door)
        with pytest.raises(PermissionDenied):
            actie_signalen_koppelen(actie=actie, signalen=[signaal], door=door)
    signaal.refresh_from_db()
    assert signaal.status == Status.DRAAGVLAK_BEREIKT
    assert not ActieSignaal.objects.filter(signaal=signaal).exists()


def test_a_superuser_may_act(team, trekker, signaal_met_draagvlak):
    admin = f.UserFactory(is_superuser=True, is_staff=True)
    actie = actie_create_from_signalen(
        signalen=[signaal_met_draagvlak()], titel="X", trekker=trekker, door=admin
    )
    update = voortgangsupdate_post(actie=actie, tekst="Gestart.", door=admin)
    assert update.partner == trekker


def test_update_changes_details_and_audits_the_fields(actie, team, coordinator, trekker, betrokkene):
    ander = f.PartnerFactory(gemeente=team.gemeente)
    sub = f.SubgebiedFactory(team=team)
    actie_update(
        actie=actie,
        titel="Nieuwe titel",
        omschrijving="Nieuw",
        trekker=ander,
        partners=[trekker],
        start=None,
        eind=dt.date(2026, 5, 1),
        subgebied=sub,
        door=coordinator,
    )
    actie.refresh_from_db()
    assert (actie.titel, actie.trekker, actie.subgebied) == ("Nieuwe titel", ander, sub)
    assert list(actie.partners.all()) == [trekker]
    assert set(AuditRegel.objects.get(actie="actie.update").details["velden"]) >= {
        "titel",
        "trekker_id",
        "partners",
    }
    with pytest.raises(PermissionDenied):
        actie_update(
            actie=actie,
            titel="Door betrokkene",
            omschrijving="",
            trekker=ander,
            partners=[],
            start=None,
            eind=None,
            subgebied=None,
            door=betrokkene,
        )


# --- milestones and progress --------------------------------------------------------------------


def test_progress_is_the_weighted_share_of_milestones_done(actie, coordinator, betrokkene):
    assert actie_voortgang(actie) == 0
    klein = mijlpaal_add(actie=actie, titel="Bewoners uitnodigen", gewicht=1, door=coordinator)
    groot = mijlpaal_add(actie=actie, titel="Speeltoestel plaatsen", gewicht=3, door=coordinator)
    assert [klein.volgorde, groot.volgorde] == [1, 2]
    mijlpaal_afvinken(mijlpaal=klein, gedaan=True, door=betrokkene, actie=actie)
    assert actie_voortgang(actie) == 25
    mijlpaal_afvinken(mijlpaal=groot, gedaan=True, door=betrokkene)
    assert actie_voortgang(actie) == 100
    mijlpaal_afvinken(mijlpaal=groot, gedaan=False, door=betrokkene, reden="Toestel afgekeurd.")
    assert actie_voortgang(actie) == 25
    assert [(w.van, w.naar, w.reden) for w in VoortgangWijziging.objects.filter(actie=actie)] == [
        (0, 25, ""),
        (25, 100, ""),
        (100, 25, "Toestel afgekeurd."),
    ]


def test_only_a_coordinator_adds_milestones_and_only_the_involved_tick(
    actie, betrokkene, teamlid, buitenstaander
):
    with pytest.raises(PermissionDenied):
        mijlpaal_add(actie=actie, titel="X", door=betrokkene)
    mijlpaal = f.MijlpaalFactory(actie=actie)
    for door in (teamlid, buitenstaander):
        with pytest.raises(PermissionDenied):
            mijlpaal_afvinken(mijlpaal=mijlpaal, gedaan=True, door=door)
    mijlpaal.refresh_from_db()
    assert mijlpaal.gedaan_at is None


def test_progress_by_hand(actie, betrokkene, teamlid):
    actie_voortgang_zetten(actie=actie, voortgang=40, door=betrokkene)
    actie_voortgang_zetten(actie=actie, voortgang=30, door=betrokkene, reden="Te optimistisch geschat.")
    actie.refresh_from_db()
    assert actie.voortgang_handmatig == 30
    assert actie_voortgang(actie) == 30
    assert VoortgangWijziging.objects.filter(actie=actie).count() == 2
    with pytest.raises(PermissionDenied):
        actie_voortgang_zetten(actie=actie, voortgang=50, door=teamlid)


# --- updates, notes, residents -------------------------------------------------------------------


def test_update_is_signed_by_the_partner_with_a_cleaned_photo(actie, betrokkene, trekker):
    with mock.patch.object(meldingen, "actie_update_melden") as melden:
        update = voortgangsupdate_post(
            actie=actie,
            tekst="Eerste prullenbakken geplaatst.",
            door=betrokkene,
            foto=upload(jpeg_with_gps()),
        )
    melden.assert_called_once_with(update=update, door=betrokkene)
    assert update.partner == trekker
    assert update.datum == timezone.localdate()
    assert update.foto.name == f"acties/{actie.pk}/{update.foto_uuid}.jpg"
    with update.foto.open("rb") as fh:
        assert b"GPS" not in fh.read()
    assert AuditRegel.objects.get(actie="voortgangsupdate.post").details["foto"] is True


def test_a_coordinator_of_another_partner_posts_for_their_own_partner(actie, team, coordinator):
    update = voortgangsupdate_post(actie=actie, tekst="Overleg gehad.", door=coordinator)
    assert update.partner == coordinator.lidmaatschappen.get(team=team).partner


def test_updates_notes_and_residents_need_an_involved_person(actie, teamlid, buitenstaander):
    for door in (teamlid, buitenstaander):
        with pytest.raises(PermissionDenied):
            voortgangsupdate_post(actie=actie, tekst="X", door=door)
        with pytest.raises(PermissionDenied):
            notitie_add(actie=actie, tekst="X", door=door)
        with pytest.raises(PermissionDenied):
            bewoners_add(actie=actie, door=door)
    assert not Voortgangsupdate.objects.exists()
    assert not Notitie.objects.exists()
    assert not BewonerTrekker.objects.exists()


def test_a_participating_partners_teamlid_is_involved(actie, team, coordinator, trekker):
    deelnemer = f.PartnerFactory(gemeente=team.gemeente)
    lid = f.LidmaatschapFactory(team=team, partner=deelnemer, rol=Rol.TEAMLID).user
    with pytest.raises(PermissionDenied):
        voortgangsupdate_post(actie=actie, tekst="Nog niet betrokken.", door=lid)
    actie_update(
        actie=actie,
        titel=actie.titel,
        omschrijving="",
        trekker=trekker,
        partners=[deelnemer],
        start=None,
        eind=None,
        subgebied=None,
        door=coordinator,
    )
    assert voortgangsupdate_post(actie=actie, tekst="Nu wel.", door=lid).partner == deelnemer


def test_notes_for_the_team_or_one_partner(actie, betrokkene, trekker):
    notitie = notitie_add(actie=actie, tekst="Sleutel bij de beheerder.", door=betrokkene)
    alleen = notitie_add(actie=actie, tekst="Alleen voor ons.", door=betrokkene, alleen_partner=trekker)
    assert notitie.alleen_partner is None
    assert alleen.alleen_partner == trekker


def test_residents_counted_and_named_only_with_consent(actie, betrokkene):
    bewoners_add(actie=actie, aantal=3, door=betrokkene)
    genoemd = bewoners_add(
        actie=actie, voornaam="Fatima", email="Fatima@Example.nl", toestemming=True, door=betrokkene
    )
    actie.refresh_from_db()
    assert actie.bewoners_aantal == 4
    assert genoemd.email == "fatima@example.nl"
    audit = AuditRegel.objects.filter(actie="bewoners.add").last()
    assert "Fatima" not in str(audit.details)
    bewoner_remove(bewoner=genoemd, door=betrokkene, actie=actie)
    actie.refresh_from_db()
    assert actie.bewoners_aantal == 3


# --- selectors ---------------------------------------------------------------------------------


def test_a_household_supporting_two_merged_signals_counts_once(
    team, coordinator, trekker, signaal_met_draagvlak
):
    eerste, tweede = signaal_met_draagvlak(), signaal_met_draagvlak()
    f.SteunbetuigingFactory(signaal=eerste, huishouden_hash="a" * 64)
    f.SteunbetuigingFactory(signaal=tweede, huishouden_hash="a" * 64)  # the same household
    f.SteunbetuigingFactory(signaal=tweede, huishouden_hash="b" * 64)
    f.SteunbetuigingFactory(signaal=eerste, huishouden_hash=None, aantal_anoniem=4)
    # Withdrawn and expired support does not count.
    f.SteunbetuigingFactory(signaal=eerste, huishouden_hash="c" * 64, ingetrokken_at=timezone.now())
    f.SteunbetuigingFactory(signaal=tweede, huishouden_hash="d" * 64, datum=f.days_ago(400))
    actie = actie_create_from_signalen(
        signalen=[eerste, tweede], titel="X", trekker=trekker, door=coordinator
    )
    steun = actie_steun(actie)
    assert (steun.huishoudens, steun.anoniem, steun.totaal) == (2, 4, Decimal("4.00"))
    leeg = f.ActieFactory(team=team, trekker=trekker)
    assert actie_steun_many([actie, leeg])[leeg.pk].huishoudens == 0


def test_stalled_and_searching_for_residents(team, trekker):
    oud = f.ActieFactory(
        team=team,
        trekker=trekker,
        status=ActieStatus.IN_UITVOERING,
        in_uitvoering_at=timezone.now() - dt.timedelta(days=31),
    )
    jong = f.ActieFactory(
        team=team, trekker=trekker, status=ActieStatus.IN_UITVOERING, in_uitvoering_at=timezone.now()
    )
    met_bewoners = f.ActieFactory(
        team=team,
        trekker=trekker,
        status=ActieStatus.IN_UITVOERING,
        in_uitvoering_at=timezone.now() - dt.timedelta(days=60),
        bewoners_aantal=2,
    )
    klaar = f.ActieFactory(team=team, trekker=trekker, status=ActieStatus.AFGEROND)
    assert list(acties_stalled(team=team)) == [oud]
    assert set(acties_zoeken_bewoners(team=team)) == {oud, jong}
    assert set(acties_list_for_team(team=team)) == {oud, jong, met_bewoners, klaar}


def test_actie_for_user_is_a_404_for_another_team(actie, betrokkene, buitenstaander):
    from django.http import Http404

    assert actie_for_user(betrokkene, actie.pk) == actie
    with pytest.raises(Http404):
        actie_for_user(buitenstaander, actie.pk)
    refused = AuditRegel.objects.get(object_type="acties.actie", resultaat="geweigerd")
    assert refused.team_id == actie.team_id


def test_triage_queue_draagvlak_first_then_new_only_own_coordinated_teams(
    team, coordinator, teamlid, thema, ander_team, signaal_met_draagvlak
):
    nieuw = f.SignaalFactory(team=team, thema=thema, status=Status.NIEUW)
    bereikt = signaal_met_draagvlak()
    f.SignaalFactory(team=team, thema=thema, status=Status.DRAAGVLAK_GEZOCHT)
    f.SignaalFactory(team=ander_team, status=Status.DRAAGVLAK_BEREIKT)
    assert list(triage_queue_for_user(user=coordinator)) == [bereikt, nieuw]
    assert list(triage_queue_for_user(user=teamlid)) == []


def test_a_residents_own_wish_waits_in_triage_while_it_gathers_support(team, coordinator, thema):
    """A confirmed wish counts its wisher's household, so the tally moves it to draagvlak gezocht at
    once; it stays in the queue until the team looks at it. A team's own signal gathering support does not."""
    wens = f.SignaalFactory(team=team, thema=thema, kanaal=Kanaal.ONLINE, status=Status.DRAAGVLAK_GEZOCHT)
    f.SignaalFactory(team=team, thema=thema, kanaal=Kanaal.STRAATGESPREK, status=Status.DRAAGVLAK_GEZOCHT)
    f.SignaalFactory(team=team, thema=thema, kanaal=Kanaal.ONLINE, status=Status.AFGEWEZEN)
    assert list(triage_queue_for_user(user=coordinator)) == [wens]
