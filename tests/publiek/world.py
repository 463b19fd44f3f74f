"""A buurt with everything a public page may and may not show, each private field holding a marker.

`build_world()` returns a namespace; `MARKERS` are strings that must never reach a public response.
"""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from acties.models import (
    ActieStatus,
    ActieStatusWijziging,
    GeholpenReactie,
    Notitie,
    VoortgangWijziging,
)
from buurten.models import PartnerInzet, PartnerType, Rol
from signalen.models import Doorzetting, Foto, Status, StatusWijziging, TriageUitkomst, Wijkronde
from tests import factories as f

MARKERS = [
    "GEHEIMVERTROUWELIJK",
    "GEHEIMPERSOON",
    "GEHEIMNOTITIE",
    "GEHEIMPARTNERNOTITIE",
    "Geheimvoornaambewoner",
    "geheim-bewoner@example.nl",
    "geheim-steun@example.nl",
    "deadbeefgeheim",
    "Geheimvoornaamlid",
    "Geheimachternaamlid",
    "geheim-lid@example.nl",
    "geheim-partner@example.nl",
    "GEHEIMGEVRAAGD",
    "GEHEIMTRIAGEREDEN",
    "GEHEIMACTIEREDEN",
    "GEHEIMVOORTGANGREDEN",
    "GEHEIMDOORZETNOTITIE",
    "GEHEIMOPMERKING",
    "GEHEIMWIJKRONDE",
    "GEHEIMOMSCHRIJVING",
    # Exact coordinates of a public signal and the grid cell of a sensitive one.
    "50.851234",
    "5.691234",
    "50.8464",
    "5.6835",
]

# The public signal's point snapped to the ~100 m grid (what the map may show).
SNAPPED = (50.8509, 5.691)


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    now = timezone.now()
    w.gemeente = f.GemeenteFactory()
    w.wijk = f.WijkFactory(gemeente=w.gemeente, naam="Buitenwijk West")
    w.buurt = f.BuurtFactory(wijk=w.wijk, naam="Malberg", code="BU09350207")
    w.team = f.TeamFactory(gemeente=w.gemeente, naam="VBT Malberg", slug="vbt-malberg", buurten=[w.buurt])
    w.team.drempel_huishoudens = 5
    w.team.save()
    w.gemeente_partner = f.PartnerFactory(
        gemeente=w.gemeente, naam="Gemeente Maastricht", contact_email="geheim-partner@example.nl"
    )
    w.politie = f.PartnerFactory(gemeente=w.gemeente, naam="Politie Limburg", type=PartnerType.POLITIE)
    PartnerInzet.objects.create(
        team=w.team, partner=w.gemeente_partner, toezegging="Extra veegrondes", gevraagd="GEHEIMGEVRAAGD"
    )
    PartnerInzet.objects.create(team=w.team, partner=w.politie, toezegging="Wijkagent loopt mee")
    w.lid = f.UserFactory(
        first_name="Geheimvoornaamlid", last_name="Geheimachternaamlid", email="geheim-lid@example.nl"
    )
    f.LidmaatschapFactory(user=w.lid, team=w.team, partner=w.gemeente_partner, rol=Rol.COORDINATOR)

    w.zwerfvuil = f.ThemaFactory(gemeente=w.gemeente, naam="zwerfvuil")
    w.drugs = f.ThemaFactory(gemeente=w.gemeente, naam="drugs en ondermijning", gevoelig=True)
    ronde = Wijkronde.objects.create(team=w.team, datum=timezone.localdate(), notities="GEHEIMWIJKRONDE")

    def signaal(**kw):
        kw.setdefault("thema", w.zwerfvuil)
        return f.SignaalFactory(team=w.team, buurt=w.buurt, created_by=w.lid, wijkronde=ronde, **kw)

    w.open = signaal(
        titel="Zwerfvuil bij het speelveld",
        omschrijving="GEHEIMOMSCHRIJVING",
        lat=50.851234,
        lon=5.691234,
        status=Status.DRAAGVLAK_GEZOCHT,
        steun_huishoudens=3,
        steun_totaal=3,
    )
    Foto.objects.create(
        signaal=w.open,
        uuid="0b0e7a52-1c1f-4d6e-9c51-0123456789ab",
        formaat="jpg",
        bestand="x.jpg",
        breedte=10,
        hoogte=10,
    )
    f.SteunbetuigingFactory(
        signaal=w.open,
        email="geheim-steun@example.nl",
        email_toestemming=True,
        huishouden_hash="deadbeefgeheim" + "0" * 50,
        created_by=w.lid,
    )
    StatusWijziging.objects.create(
        signaal=w.open, van=Status.NIEUW, naar=Status.DRAAGVLAK_GEZOCHT, door=w.lid, reden="GEHEIMTRIAGEREDEN"
    )
    w.gevoelig = signaal(titel="Drugsoverlast in de straat", thema=w.drugs, lat=50.8464, lon=5.6835)
    w.vertrouwelijk = signaal(
        titel="GEHEIMVERTROUWELIJK",
        omschrijving="GEHEIMVERTROUWELIJK",
        vertrouwelijk=True,
        lat=50.8401,
        lon=5.6801,
    )
    w.persoon = signaal(
        titel="GEHEIMPERSOON",
        omschrijving="GEHEIMPERSOON",
        over_persoon=True,
        vertrouwelijk=True,
        status=Status.AFGEWEZEN,
        lat=50.8402,
        lon=5.6802,
    )
    StatusWijziging.objects.create(
        signaal=w.persoon, van=Status.NIEUW, naar=Status.AFGEWEZEN, reden="GEHEIMPERSOON"
    )
    w.afgewezen = signaal(titel="Hondenpoep overal", status=Status.AFGEWEZEN, status_gewijzigd_at=now)
    StatusWijziging.objects.create(
        signaal=w.afgewezen,
        van=Status.DRAAGVLAK_BEREIKT,
        naar=Status.AFGEWEZEN,
        door=w.lid,
        reden="Dit pakt de gemeente al aan met de nieuwe afvalbakken.",
    )
    w.doorgezet = signaal(
        titel="Kapotte lantaarnpaal",
        status=Status.GETRIEERD,
        triage_uitkomst=TriageUitkomst.PRIMAIRE_TAAK,
        doorgezet_naar=w.gemeente_partner,
        status_gewijzigd_at=now,
    )
    StatusWijziging.objects.create(
        signaal=w.doorgezet,
        van=Status.DRAAGVLAK_BEREIKT,
        naar=Status.GETRIEERD,
        door=w.lid,
        reden="GEHEIMTRIAGEREDEN",
    )
    Doorzetting.objects.create(
        signaal=w.doorgezet,
        partner=w.gemeente_partner,
        opvolgen_op=timezone.localdate(),
        notitie="GEHEIMDOORZETNOTITIE",
        door=w.lid,
    )

    w.actie = f.ActieFactory(
        team=w.team,
        buurt=w.buurt,
        titel="Speelveld opknappen",
        trekker=w.gemeente_partner,
        status=ActieStatus.IN_UITVOERING,
        created_by=w.lid,
        bewoners_aantal=2,
    )
    w.actie.partners.add(w.politie)
    f.MijlpaalFactory(actie=w.actie, titel="Plan maken", gewicht=1, gedaan_at=now)
    f.MijlpaalFactory(actie=w.actie, titel="Uitvoeren", gewicht=3)
    w.update = f.VoortgangsupdateFactory(
        actie=w.actie, tekst="De nieuwe bankjes staan er.", partner=w.gemeente_partner, door=w.lid
    )
    Notitie.objects.create(actie=w.actie, tekst="GEHEIMNOTITIE", door=w.lid)
    Notitie.objects.create(actie=w.actie, tekst="GEHEIMPARTNERNOTITIE", alleen_partner=w.politie, door=w.lid)
    f.BewonerTrekkerFactory(
        actie=w.actie,
        aantal=2,
        voornaam="Geheimvoornaambewoner",
        email="geheim-bewoner@example.nl",
        toestemming=True,
    )
    ActieStatusWijziging.objects.create(
        actie=w.actie,
        van=ActieStatus.GEPLAND,
        naar=ActieStatus.IN_UITVOERING,
        door=w.lid,
        partner=w.gemeente_partner,
        reden="GEHEIMACTIEREDEN",
    )
    VoortgangWijziging.objects.create(
        actie=w.actie, van=50, naar=20, reden="GEHEIMVOORTGANGREDEN", door=w.lid
    )
    f.ActieSignaalFactory(actie=w.actie, signaal=w.vertrouwelijk)

    w.klaar = f.ActieFactory(
        team=w.team,
        buurt=w.buurt,
        titel="Steeg verlichten",
        trekker=w.politie,
        status=ActieStatus.AFGEROND,
        afgerond_at=now - dt.timedelta(days=40),
        voortgang_handmatig=100,
        bewoners_aantal=0,
    )
    for antwoord in ["ja", "ja", "nee"]:
        GeholpenReactie.objects.create(
            actie=w.klaar,
            buurt=w.buurt,
            team=w.team,
            antwoord=antwoord,
            opmerking="GEHEIMOPMERKING",
            datum=timezone.localdate(),
        )
    w.zoekt = f.ActieFactory(
        team=w.team, buurt=w.buurt, titel="Buurtmoestuin", trekker=w.politie, status=ActieStatus.GEPLAND
    )
    return w
