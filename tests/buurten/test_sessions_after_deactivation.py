"""A deactivated person's sessions are deleted, not suspended: reactivation revives none (issue #10,
item 6). Whatever switched the account off (the service, or a path that bypassed it)."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from audit.models import AuditRegel
from buurten.models import Rol, User
from buurten.services.mensen import user_activate, user_deactivate
from tests import factories as f

pytestmark = pytest.mark.django_db


def sessions_of(user) -> int:
    return sum(1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk))


@pytest.fixture
def beheerder():
    return f.verify_email(f.UserFactory(is_staff=True, is_superuser=True))


@pytest.fixture
def teamlid(team):
    return f.verify_email(f.LidmaatschapFactory(team=team, rol=Rol.TEAMLID).user)


def test_after_deactivation_and_reactivation_the_old_session_is_logged_out(team, teamlid, beheerder):
    old = Client()
    old.force_login(teamlid)
    team_page = reverse("buurten:team_detail", kwargs={"team_id": team.pk})
    assert old.get(team_page).status_code == 200

    user_deactivate(user=teamlid, door=beheerder)
    assert sessions_of(teamlid) == 0
    user_activate(user=User.objects.get(pk=teamlid.pk), door=beheerder)

    response = old.get(team_page)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in old.session


def test_reactivation_ends_sessions_left_by_a_switch_off_that_bypassed_the_service(team, teamlid, beheerder):
    old = Client()
    old.force_login(teamlid)
    User.objects.filter(pk=teamlid.pk).update(is_active=False)  # e.g. the shell, a raw update
    assert sessions_of(teamlid) == 1

    user_activate(user=User.objects.get(pk=teamlid.pk), door=beheerder)
    assert sessions_of(teamlid) == 0
    response = old.get(reverse("buurten:team_detail", kwargs={"team_id": team.pk}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert AuditRegel.objects.get(actie="user.activate").details == {"sessies": 1}
