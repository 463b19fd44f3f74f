"""Fixtures shared by the signal page tests (imported by tests/signalen/test_views*.py and friends)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from buurten.models import Rol
from tests import factories as f

# A buurt far away from the factories' SQUARE, for another team.
ELDERS = {
    "type": "Polygon",
    "coordinates": [[[5.60, 50.80], [5.62, 50.80], [5.62, 50.82], [5.60, 50.82], [5.60, 50.80]]],
}


@pytest.fixture
def team(db):
    return f.TeamFactory(naam="Malberg")


@pytest.fixture
def thema(team):
    return f.ThemaFactory(gemeente=team.gemeente, naam="zwerfvuil")


@pytest.fixture
def lid(team):
    return f.LidmaatschapFactory(team=team, rol=Rol.TEAMLID).user


@pytest.fixture
def coordinator(team):
    return f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR).user


@pytest.fixture
def ander_team(db):
    gemeente = f.GemeenteFactory(code="GM0917", naam="Heerlen")
    buurt = f.BuurtFactory(
        wijk__gemeente=gemeente, geometrie=ELDERS, min_lon=5.60, min_lat=50.80, max_lon=5.62, max_lat=50.82
    )
    return f.TeamFactory(naam="Heerlerheide", gemeente=gemeente, buurten=[buurt])


@pytest.fixture
def buitenstaander(ander_team):
    return f.LidmaatschapFactory(team=ander_team).user


@pytest.fixture
def lid_client(client, lid):
    client.force_login(lid)
    return client


def jpeg_upload(name="foto.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 128, 0)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def text_upload(name="foto.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"geen foto, maar tekst", content_type="image/jpeg")
