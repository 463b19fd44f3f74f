"""Follow-up of forwarded primary tasks: the follow-up date, the partner's signed link (all three
answers, as anonymous), the coördinator recording an answer (page and admin), the overdue list,
the one reminder, and every refused case (nothing written, nothing sent)."""

import datetime as dt
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditRegel
from buurten.models import Rol
from core.actors import DOORZET_HERINNERING, PARTNER_LINK
from core.werkdagen import werkdagen_erbij
from notificaties.models import Bericht
from signalen.models import DoorzetAntwoord, Doorzetting, Signaal, Status, StatusWijziging, TriageUitkomst
from signalen.selectors import doorzettingen_te_laat
from signalen.services import signaal_status_change, signaal_triage
from signalen.services.doorzetten import SALT, doorzetting_beantwoorden, doorzetting_token
from signalen.tasks import doorzet_herinneringen
from tests import factories as f
from tests.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:signalen_signaal_changelist"


@pytest.fixture
def partner(team):
    return f.PartnerFactory(
        gemeente=team.gemeente, naam="Gemeente Maastricht", contact_email="mor@example.nl"
    )


@pytest.fixture
def coord(coordinator):
    """The team's coördinator with TOTP (coordinator pages and the admin need it) and staff."""
    coordinator.is_staff = True
    coordinator.save(update_fields=["is_staff"])
    f.activate_totp(coordinator)
    return coordinator


def _signaal(team, **kwargs):
    defaults = {"titel": "Lantaarnpaal kapot", "omschrijving": "Al weken donker in de steeg."}
    return f.SignaalFactory(team=team, status=Status.DRAAGVLAK_BEREIKT, **{**defaults, **kwargs})


def forward(signaal, partner, door, capture, **kwargs):
    with capture(execute=True):
        signaal_triage(
            signaal=signaal, uitkomst=TriageUitkomst.PRIMAIRE_TAAK, door=door, partner=partner, **kwargs
        )
    deliver_outbox()
    return Doorzetting.objects.get(signaal=signaal, gesloten_at__isnull=True)


@pytest.fixture
def doorgezet(team, partner, coord, django_capture_on_commit_callbacks, mailoutbox):
    return forward(_signaal(team), partner, coord, django_capture_on_commit_callbacks)


def link_path(mail_body: str) -> str:
    match = re.search(r"https?://[^\s]+(/doorgezet/[^\s]+/)", mail_body)
    assert match, mail_body
    return match.group(1)


# --- the forward and its mail ----------------------------------------------------------------


def test_forwarding_opens_a_follow_up_in_ten_working_days_and_mails_the_link(doorgezet, mailoutbox):
    vandaag = timezone.localdate()
    assert doorgezet.opvolgen_op == werkdagen_erbij(vandaag, 10)
    assert doorgezet.gesloten_at is None and doorgezet.antwoord == ""
    (mail,) = mailoutbox
    assert mail.to == ["mor@example.nl"]
    path = link_path(mail.body)
    assert signing.loads(path.split("/")[2], salt=SALT)["d"] == doorgezet.pk
    assert "opgepakt, afgehandeld of niet jullie taak" in mail.body
    assert AuditRegel.objects.filter(actie="doorzetting.open", object_id=str(doorgezet.pk)).exists()


def test_the_follow_up_term_can_be_chosen(
    team, partner, coord, django_capture_on_commit_callbacks, mailoutbox
):
    doorzetting = forward(
        _signaal(team), partner, coord, django_capture_on_commit_callbacks, opvolgen_werkdagen=3
    )
    assert doorzetting.opvolgen_op == werkdagen_erbij(timezone.localdate(), 3)


@pytest.mark.parametrize("werkdagen", [0, 61, -5, "tien", None])
def test_a_follow_up_term_out_of_range_is_refused_and_nothing_is_written(
    team, partner, coord, werkdagen, mailoutbox
):
    signaal = _signaal(team)
    with pytest.raises(ValidationError) as exc:
        signaal_triage(
            signaal=signaal,
            uitkomst=TriageUitkomst.PRIMAIRE_TAAK,
            door=coord,
            partner=partner,
            opvolgen_werkdagen=werkdagen,
        )
    assert exc.value.message_dict == {
        "opvolgen_werkdagen": ["Kies een termijn van 1 tot en met 60 werkdagen."]
    }
    signaal.refresh_from_db()
    assert signaal.status == Status.DRAAGVLAK_BEREIKT
    assert not Doorzetting.objects.exists() and not Bericht.objects.exists()


def test_forwarding_to_another_gemeente_or_without_contact_address_is_refused(team, coord, mailoutbox):
    signaal = _signaal(team)
    elders = f.PartnerFactory(gemeente=f.GemeenteFactory(code="GM0363", naam="Amsterdam"))
    zonder_adres = f.PartnerFactory(gemeente=team.gemeente, contact_email="")
    for partner, bericht in [
        (elders, "Deze partner hoort niet bij de gemeente van dit team."),
        (
            zonder_adres,
            "Deze partner heeft geen contact-e-mailadres voor doorgezette signalen; vul dat eerst in.",
        ),
    ]:
        with pytest.raises(ValidationError) as exc:
            signaal_triage(
                signaal=signaal, uitkomst=TriageUitkomst.PRIMAIRE_TAAK, door=coord, partner=partner
            )
        assert exc.value.message_dict == {"partner": [bericht]}
    assert not Doorzetting.objects.exists() and not Bericht.objects.exists()
    signaal.refresh_from_db()
    assert signaal.status == Status.DRAAGVLAK_BEREIKT


def test_integraal_opens_no_follow_up(team, coord):
    signaal_triage(signaal=_signaal(team), uitkomst=TriageUitkomst.INTEGRAAL, door=coord)
    assert not Doorzetting.objects.exists()


# --- the partner's link, as anonymous ----------------------------------------------------------


def test_the_link_shows_the_signal_without_supporters_and_get_writes_nothing(client, doorgezet, mailoutbox):
    f.SteunbetuigingFactory(signaal=doorgezet.signaal, email="bewoner@example.nl", email_toestemming=True)
    path = link_path(mailoutbox[0].body)
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lantaarnpaal kapot" in html and "Al weken donker in de steeg." in html
    assert "bewoner@example.nl" not in html
    assert "Wat doen jullie ermee?" in html
    doorgezet.refresh_from_db()
    assert doorgezet.antwoord == "" and doorgezet.beantwoord_at is None


def test_a_confidential_signal_shows_no_more_than_the_mail(
    team, partner, coord, client, mailoutbox, django_capture_on_commit_callbacks
):
    signaal = _signaal(team, titel="Buurman dealt", omschrijving="Huisnummer 12.", vertrouwelijk=True)
    forward(signaal, partner, coord, django_capture_on_commit_callbacks)
    html = client.get(link_path(mailoutbox[0].body)).content.decode()
    assert "vertrouwelijk" in html
    assert "Buurman dealt" not in html and "Huisnummer" not in html


def test_partner_answers_opgepakt_then_afgehandeld_through_the_link(client, doorgezet, mailoutbox):
    path = link_path(mailoutbox[0].body)
    response = client.post(path, {"antwoord": "opgepakt", "notitie": "Monteur is ingepland."})
    assert response.status_code == 200 and "Antwoord ontvangen" in response.content.decode()
    signaal = Signaal.objects.get(pk=doorgezet.signaal_id)
    assert signaal.status == Status.IN_ACTIE
    doorgezet.refresh_from_db()
    assert doorgezet.antwoord == DoorzetAntwoord.OPGEPAKT and doorgezet.beantwoord_door is None
    assert doorgezet.gesloten_at is None
    # The same answer again: nothing new in the history.
    before = StatusWijziging.objects.filter(signaal=signaal).count()
    assert client.post(path, {"antwoord": "opgepakt"}).status_code == 200
    assert StatusWijziging.objects.filter(signaal=signaal).count() == before
    # The link still works until it is handled.
    assert client.get(path).status_code == 200
    client.post(path, {"antwoord": "afgehandeld", "notitie": ""})
    signaal.refresh_from_db()
    doorgezet.refresh_from_db()
    assert signaal.status == Status.AFGEROND
    assert doorgezet.gesloten_at is not None and doorgezet.afgehandeld_at is not None
    last = StatusWijziging.objects.filter(signaal=signaal).latest("pk")
    assert (last.van, last.naar, last.door) == (Status.IN_ACTIE, Status.AFGEROND, None)
    assert AuditRegel.objects.filter(actie="doorzetting.antwoord", object_id=str(doorgezet.pk)).count() == 2


def test_partner_answers_afgehandeld_at_once(client, doorgezet, mailoutbox):
    path = link_path(mailoutbox[0].body)
    assert client.post(path, {"antwoord": "afgehandeld"}).status_code == 200
    signaal = Signaal.objects.get(pk=doorgezet.signaal_id)
    assert signaal.status == Status.AFGEROND
    count = StatusWijziging.objects.filter(signaal=signaal).count()
    # A second click of the same answer: the thanks again, nothing written.
    response = client.post(path, {"antwoord": "afgehandeld"})
    assert response.status_code == 200 and "Antwoord ontvangen" in response.content.decode()
    assert StatusWijziging.objects.filter(signaal=signaal).count() == count
    # But the closed link shows nothing any more, and takes no other answer.
    response = client.get(path)
    assert response.status_code == 410 and "Deze doorverwijzing is afgesloten" in response.content.decode()
    response = client.post(path, {"antwoord": "niet_onze_taak", "notitie": "Toch niet."})
    assert response.status_code == 410
    signaal.refresh_from_db()
    assert signaal.status == Status.AFGEROND


def test_partner_answers_niet_onze_taak_with_a_note_back_to_triage(client, doorgezet, mailoutbox):
    path = link_path(mailoutbox[0].body)
    response = client.post(path, {"antwoord": "niet_onze_taak", "notitie": ""})
    assert response.status_code == 400
    assert "Leg kort uit waarom het niet jullie taak is" in response.content.decode()
    signaal = Signaal.objects.get(pk=doorgezet.signaal_id)
    assert signaal.status == Status.GETRIEERD
    doorgezet.refresh_from_db()
    assert doorgezet.antwoord == "" and doorgezet.gesloten_at is None

    client.post(path, {"antwoord": "niet_onze_taak", "notitie": "Dit is van de woningcorporatie."})
    signaal.refresh_from_db()
    doorgezet.refresh_from_db()
    assert signaal.status == Status.DRAAGVLAK_BEREIKT
    assert signaal.triage_uitkomst == "" and signaal.doorgezet_naar is None
    assert doorgezet.gesloten_at is not None and doorgezet.notitie == "Dit is van de woningcorporatie."
    last = StatusWijziging.objects.filter(signaal=signaal).latest("pk")
    assert last.reden == "Dit is van de woningcorporatie."
    assert client.get(path).status_code == 410


def test_niet_onze_taak_after_opgepakt_also_returns_it(client, doorgezet, mailoutbox):
    path = link_path(mailoutbox[0].body)
    client.post(path, {"antwoord": "opgepakt"})
    client.post(path, {"antwoord": "niet_onze_taak", "notitie": "Bij nader inzien niet van ons."})
    assert Signaal.objects.get(pk=doorgezet.signaal_id).status == Status.DRAAGVLAK_BEREIKT


def test_a_tampered_or_unknown_link_is_refused(client, doorgezet, mailoutbox):
    path = link_path(mailoutbox[0].body)
    response = client.get(path[:-3] + "xx/")
    assert response.status_code == 400
    assert "Deze link is niet geldig" in response.content.decode()
    response = client.post(path[:-3] + "xx/", {"antwoord": "afgehandeld"})
    assert response.status_code == 400
    fake = signing.dumps({"d": doorgezet.pk + 1000, "p": doorgezet.partner_id}, salt=SALT)
    assert client.get(reverse("signalen:doorzetting_antwoord", args=[fake])).status_code == 404
    # A token signed for something else (another salt) is not a forward's.
    other = signing.dumps(
        {"d": doorgezet.pk, "p": doorgezet.partner_id}, salt="signalen.huishouden_intrekken"
    )
    assert client.get(reverse("signalen:doorzetting_antwoord", args=[other])).status_code == 400
    assert Signaal.objects.get(pk=doorgezet.signaal_id).status == Status.GETRIEERD


def test_a_link_closes_when_the_signal_is_closed_otherwise(client, doorgezet, coord, mailoutbox):
    signaal_status_change(
        signaal=doorgezet.signaal, naar=Status.AFGEWEZEN, door=coord, reden="Dubbel gemeld."
    )
    doorgezet.refresh_from_db()
    assert doorgezet.gesloten_at is not None
    assert client.get(link_path(mailoutbox[0].body)).status_code == 410


def test_bad_form_input_on_the_link(client, doorgezet, mailoutbox):
    path = link_path(mailoutbox[0].body)
    response = client.post(path, {"antwoord": "weet_niet"})
    assert response.status_code == 400
    assert "Er is niets opgeslagen" in response.content.decode()
    assert Doorzetting.objects.get(pk=doorgezet.pk).antwoord == ""


# --- the coördinator records the answer ------------------------------------------------------


def test_coordinator_records_the_answer_on_the_signal_page(client, doorgezet, coord):
    client.force_login(coord)
    url = reverse("signalen:detail", args=[doorgezet.signaal_id])
    html = client.get(url).content.decode()
    assert "Antwoord van Gemeente Maastricht vastleggen" in html
    response = client.post(
        reverse("signalen:doorzetting_vastleggen", args=[doorgezet.signaal_id]),
        {"antwoord": "afgehandeld", "notitie": "Telefonisch gehoord."},
    )
    assert response.status_code == 302
    doorgezet.refresh_from_db()
    assert doorgezet.antwoord == DoorzetAntwoord.AFGEHANDELD and doorgezet.beantwoord_door == coord
    assert Signaal.objects.get(pk=doorgezet.signaal_id).status == Status.AFGEROND
    html = client.get(url).content.decode()
    assert (
        "Afgehandeld" in html and "vastleggen" not in html.split('id="doorzetting"')[1].split("</section>")[0]
    )


def test_the_page_form_refuses_a_missing_note(client, doorgezet, coord):
    client.force_login(coord)
    response = client.post(
        reverse("signalen:doorzetting_vastleggen", args=[doorgezet.signaal_id]),
        {"antwoord": "niet_onze_taak", "notitie": "  "},
    )
    assert response.status_code == 400
    assert "Leg kort uit waarom het niet jullie taak is" in response.content.decode()
    assert Signaal.objects.get(pk=doorgezet.signaal_id).status == Status.GETRIEERD


def test_a_teamlid_or_another_team_cannot_record_the_answer(client, doorgezet, team, ander_team):
    teamlid = f.LidmaatschapFactory(team=team, rol=Rol.TEAMLID).user
    client.force_login(teamlid)
    url = reverse("signalen:doorzetting_vastleggen", args=[doorgezet.signaal_id])
    assert (
        "Antwoord van"
        not in client.get(reverse("signalen:detail", args=[doorgezet.signaal_id])).content.decode()
    )
    assert client.post(url, {"antwoord": "afgehandeld"}).status_code == 403
    andere = f.LidmaatschapFactory(team=ander_team, rol=Rol.COORDINATOR).user
    f.activate_totp(andere)
    client.force_login(andere)
    assert client.post(url, {"antwoord": "afgehandeld"}).status_code == 404
    with pytest.raises(PermissionDenied):
        doorzetting_beantwoorden(doorzetting=doorgezet, antwoord="afgehandeld", door=teamlid)
    doorgezet.refresh_from_db()
    assert doorgezet.antwoord == ""


def test_a_coordinator_without_totp_is_sent_to_set_it_up(client, doorgezet, team):
    zonder = f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR).user
    client.force_login(zonder)
    response = client.post(
        reverse("signalen:doorzetting_vastleggen", args=[doorgezet.signaal_id]), {"antwoord": "afgehandeld"}
    )
    assert response.status_code == 302 and reverse("mfa_activate_totp") in response["Location"]
    assert Doorzetting.objects.get(pk=doorgezet.pk).antwoord == ""


def _action(client, action, pks, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks], **extra}
    return client.post(reverse(CHANGELIST), data, follow=True)


def test_admin_triage_with_a_follow_up_term(client, team, partner, coord, mailoutbox):
    signaal = _signaal(team)
    client.force_login(coord)
    form = _action(client, "triage_action", [signaal.pk]).content.decode()
    assert "Opvolgen na (werkdagen, bij primaire taak)" in form and 'value="10"' in form
    response = _action(
        client,
        "triage_action",
        [signaal.pk],
        toepassen="1",
        uitkomst="primaire_taak",
        partner=partner.pk,
        opvolgen_werkdagen="61",
    )
    assert "Kies een termijn van 1 tot en met 60 werkdagen." in response.content.decode()
    assert not Doorzetting.objects.exists() and not Bericht.objects.exists()
    _action(
        client,
        "triage_action",
        [signaal.pk],
        toepassen="1",
        uitkomst="primaire_taak",
        partner=partner.pk,
        opvolgen_werkdagen="5",
    )
    doorzetting = Doorzetting.objects.get()
    assert doorzetting.opvolgen_op == werkdagen_erbij(timezone.localdate(), 5)
    # The change view shows the forward, read-only.
    html = client.get(reverse("admin:signalen_signaal_change", args=[signaal.pk])).content.decode()
    assert "doorzettingen" in html.lower() and "Gemeente Maastricht" in html


def test_admin_action_records_the_partners_answer(client, doorgezet, coord, team):
    client.force_login(coord)
    zonder = f.SignaalFactory(team=team, titel="Niet doorgezet")
    response = _action(client, "partner_antwoord_action", [doorgezet.signaal_id, zonder.pk])
    html = response.content.decode()
    assert "Niet doorgezet: dit signaal heeft geen open doorverwijzing." in html
    assert "Antwoord van de partner vastleggen" in html
    response = _action(
        client, "partner_antwoord_action", [doorgezet.signaal_id], toepassen="1", antwoord="niet_onze_taak"
    )
    assert "Leg kort uit waarom het niet jullie taak is" in response.content.decode()
    assert Signaal.objects.get(pk=doorgezet.signaal_id).status == Status.GETRIEERD
    response = _action(
        client,
        "partner_antwoord_action",
        [doorgezet.signaal_id],
        toepassen="1",
        antwoord="opgepakt",
        notitie="Gebeld.",
    )
    assert "1 antwoord(en) van de partner vastgelegd." in response.content.decode()
    assert Signaal.objects.get(pk=doorgezet.signaal_id).status == Status.IN_ACTIE


def test_admin_answer_action_is_refused_to_a_teamlid_of_that_team(client, doorgezet, team, ander_team):
    """A coördinator of another team who is only a teamlid here may not record the answer."""
    user = f.LidmaatschapFactory(team=ander_team, rol=Rol.COORDINATOR).user
    f.LidmaatschapFactory(team=team, rol=Rol.TEAMLID, user=user)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    f.activate_totp(user)
    client.force_login(user)
    response = _action(
        client, "partner_antwoord_action", [doorgezet.signaal_id], toepassen="1", antwoord="afgehandeld"
    )
    assert "Alleen een coördinator van het team kan dit doen" in response.content.decode()
    assert Doorzetting.objects.get(pk=doorgezet.pk).antwoord == ""


# --- overdue and the one reminder ------------------------------------------------------------


def _overdue(doorzetting, days=1):
    Doorzetting.objects.filter(pk=doorzetting.pk).update(
        opvolgen_op=timezone.localdate() - dt.timedelta(days=days)
    )


def test_overdue_selector_by_user_and_by_team(doorgezet, coord, team, ander_team):
    assert not doorzettingen_te_laat(user=coord).exists()
    _overdue(doorgezet)
    assert list(doorzettingen_te_laat(user=coord)) == [doorgezet]
    assert list(doorzettingen_te_laat(team_ids=[team.pk])) == [doorgezet]
    assert not doorzettingen_te_laat(team_ids=[ander_team.pk]).exists()
    teamlid = f.LidmaatschapFactory(team=team, rol=Rol.TEAMLID).user
    assert not doorzettingen_te_laat(user=teamlid).exists()
    # Due today is not late yet; closed is never late.
    Doorzetting.objects.filter(pk=doorgezet.pk).update(opvolgen_op=timezone.localdate())
    assert not doorzettingen_te_laat(user=coord).exists()
    _overdue(doorgezet)
    Doorzetting.objects.filter(pk=doorgezet.pk).update(gesloten_at=timezone.now())
    assert not doorzettingen_te_laat(user=coord).exists()


def test_overdue_forwards_show_on_the_dashboard_with_a_fixed_query_count(
    client,
    team,
    partner,
    coord,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
    mailoutbox,
):
    client.force_login(coord)
    for _ in range(2):
        _overdue(forward(_signaal(team), partner, coord, django_capture_on_commit_callbacks))
    with django_assert_max_num_queries(14) as few:
        html = client.get(reverse("signalen:dashboard")).content.decode()
    assert "Doorgezet: antwoord te laat" in html and html.count("Gemeente Maastricht") == 2
    for _ in range(5):
        _overdue(forward(_signaal(team), partner, coord, django_capture_on_commit_callbacks))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("signalen:dashboard"))


def test_one_reminder_even_when_the_task_runs_again(
    doorgezet, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert doorzet_herinneringen.apply().get() == {"herinnerd": 0}  # not late yet
    _overdue(doorgezet)
    with django_capture_on_commit_callbacks(execute=True):
        assert doorzet_herinneringen.apply().get() == {"herinnerd": 1}
        # A retried or repeated run finds nothing left to remind.
        assert doorzet_herinneringen.apply().get() == {"herinnerd": 0}
    deliver_outbox()
    (mail,) = mailoutbox
    assert mail.to == ["mor@example.nl"] and "Herinnering" in mail.subject
    assert "Dit is de enige herinnering." in mail.body and "/doorgezet/" in mail.body
    doorgezet.refresh_from_db()
    assert doorgezet.herinnerd_at is not None
    assert Bericht.objects.filter(sleutel=f"doorzet-herinnering:{doorgezet.pk}").count() == 1
    assert AuditRegel.objects.filter(actie="doorzetting.herinnering").count() == 1


def test_no_reminder_for_a_closed_forward_and_a_closed_one_drops_its_queued_reminder(doorgezet, mailoutbox):
    from signalen.services.doorzetten import doorzettingen_herinneren

    mailoutbox.clear()
    _overdue(doorgezet)
    Doorzetting.objects.filter(pk=doorgezet.pk).update(gesloten_at=timezone.now())
    assert doorzettingen_herinneren(door=DOORZET_HERINNERING) == 0
    assert not Bericht.objects.filter(sleutel__startswith="doorzet-herinnering").exists()


def test_the_partner_link_actor_is_allowed_but_no_actor_is_refused(doorgezet):
    with pytest.raises(TypeError):
        doorzetting_beantwoorden(doorzetting=doorgezet, antwoord="afgehandeld", door=None)
    assert doorzetting_beantwoorden(doorzetting=doorgezet, antwoord="opgepakt", door=PARTNER_LINK) is True
    assert doorzetting_beantwoorden(doorzetting=doorgezet, antwoord="opgepakt", door=PARTNER_LINK) is False


def test_a_token_for_a_closed_forward_is_still_recognised_as_ours(doorgezet):
    token = doorzetting_token(doorzetting=doorgezet)
    assert signing.loads(token, salt=SALT) == {"d": doorgezet.pk, "p": doorgezet.partner_id}
