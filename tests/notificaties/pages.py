"""The invitation page as a coordinator posts it (shared by the outbox tests)."""

from django.urls import reverse

from buurten.models import Rol


def post_invitation(client, coordinator, email="anna@example.nl"):
    client.force_login(coordinator)
    lid = coordinator.lidmaatschappen.get()
    url = reverse("buurten:uitnodigen", kwargs={"team_id": lid.team_id})
    partner = lid.team.gemeente.partners.get(naam="Woonpunt")
    response = client.post(url, {"email": email, "partner": partner.pk, "rol": Rol.TEAMLID})
    return response, client.get(url).content.decode()
