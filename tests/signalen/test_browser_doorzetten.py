"""The partner's contact on a 375 px phone, without an account: opens the link from the mail,
says *opgepakt*, later tries *niet onze taak* without a note (refused), then with one; the link
is closed afterwards."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from signalen.models import Doorzetting, Signaal, Status, TriageUitkomst
from signalen.services import signaal_triage
from signalen.services.doorzetten import doorzetting_token
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide at a 375px viewport"


def test_the_partner_answers_a_forwarded_task_through_its_link(page, team, coordinator):
    partner = f.PartnerFactory(gemeente=team.gemeente, naam="Woonpunt", contact_email="wijkbeheer@example.nl")
    signaal = f.SignaalFactory(
        team=team,
        status=Status.DRAAGVLAK_BEREIKT,
        titel="Portiek vol grofvuil",
        omschrijving="Al twee weken.",
    )
    signaal_triage(signaal=signaal, uitkomst=TriageUitkomst.PRIMAIRE_TAAK, door=coordinator, partner=partner)
    doorzetting = Doorzetting.objects.get(signaal=signaal)
    link = reverse("signalen:doorzetting_antwoord", args=[doorzetting_token(doorzetting=doorzetting)])

    page.goto(link)
    expect(page.get_by_role("heading", name="Doorgezet signaal")).to_be_visible()
    expect(page.get_by_text("Portiek vol grofvuil")).to_be_visible()
    no_horizontal_scroll(page)
    page.get_by_label("Opgepakt").check()
    page.get_by_label("Toelichting").fill("Opzichter gaat kijken.")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_role("heading", name="Antwoord ontvangen")).to_be_visible()
    assert Signaal.objects.get(pk=signaal.pk).status == Status.IN_ACTIE

    # Later: not theirs after all. Without a note it is refused, with the reason beside the form.
    page.goto(link)
    page.get_by_label("Niet onze taak").check()
    page.get_by_label("Toelichting").fill("")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_role("alert")).to_contain_text("Leg kort uit waarom het niet jullie taak is")
    no_horizontal_scroll(page)
    assert Signaal.objects.get(pk=signaal.pk).status == Status.IN_ACTIE
    page.get_by_label("Niet onze taak").check()
    page.get_by_label("Toelichting").fill("De portiek is van een particuliere eigenaar.")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_role("heading", name="Antwoord ontvangen")).to_be_visible()
    assert Signaal.objects.get(pk=signaal.pk).status == Status.DRAAGVLAK_BEREIKT

    page.goto(link)
    expect(page.get_by_text("Deze doorverwijzing is afgesloten")).to_be_visible()
    no_horizontal_scroll(page)
