"""Bad input on the signal pages never gives a 500 (issue #10, item 5): each case shows a Dutch
message with the right status and writes nothing."""

import csv
import io
import json
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.csv import csv_streaming_response
from signalen.models import Foto, Signaal, StatusWijziging, Wijkronde
from signalen.services import fotos
from tests import factories as f

from .ui import jpeg_upload

NIEUW = reverse("signalen:nieuw")
DIEP = "[" * 50_000 + "]" * 50_000  # json.loads alone raises RecursionError on this


def signaal_data(thema, **extra):
    data = {
        "titel": "Zwerfvuil bij de speeltuin",
        "thema": thema.pk,
        "kanaal": "straatgesprek",
        "locatie": '{"type": "Point", "coordinates": [5.69, 50.85]}',
    }
    data.update(extra)
    return data


def errors(response, field):
    return response.context["form"].errors[field]


# --- GeoJSON ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locatie", "melding"),
    [
        (DIEP, "Deze GeoJSON is te diep genest; teken de vorm opnieuw op de kaart."),
        ('{"type": "Point", "coordinates": ' + DIEP + "}", "Deze GeoJSON is te diep genest"),
        ('{"type": "Point", "coordinates": [5.69, 50.85], "x": "' + "a" * 1_000_001 + '"}', "te groot"),
        ("[" * 900 + "]" * 900, "Deze GeoJSON is te diep genest"),
    ],
    ids=["deep-array", "deep-coordinates", "too-long", "deep-below-python-limit"],
)
def test_signal_with_hostile_geojson_gets_a_form_error(teamlid_client, thema, locatie, melding):
    response = teamlid_client.post(NIEUW, signaal_data(thema, locatie=locatie))
    assert response.status_code == 200
    assert melding in " ".join(errors(response, "locatie"))
    assert not Signaal.objects.exists() and not StatusWijziging.objects.exists()


def test_wijkronde_route_with_deep_nesting_or_too_many_points_gets_a_form_error(teamlid_client, team):
    url = reverse("signalen:wijkronde_nieuw")
    base = {"datum": "2026-01-05", "buurten": [team.buurten.get().pk]}
    response = teamlid_client.post(
        url, {**base, "route": '{"type": "LineString", "coordinates": ' + DIEP + "}"}
    )
    assert response.status_code == 200
    assert errors(response, "route") == ["Deze GeoJSON is te diep genest; teken de vorm opnieuw op de kaart."]

    punten = [[5.69 + i * 1e-7, 50.85] for i in range(20_001)]
    response = teamlid_client.post(
        url, {**base, "route": json.dumps({"type": "LineString", "coordinates": punten})}
    )
    assert response.status_code == 200
    assert errors(response, "route") == ["Deze vorm heeft te veel punten: hoogstens 20000."]
    assert not Wijkronde.objects.exists()


def test_a_long_walked_route_within_the_limits_is_kept(teamlid_client, team):
    punten = [[5.69 + i * 1e-6, 50.85] for i in range(5_000)]
    response = teamlid_client.post(
        reverse("signalen:wijkronde_nieuw"),
        {
            "datum": "2026-01-05",
            "buurten": [team.buurten.get().pk],
            "route": json.dumps({"type": "LineString", "coordinates": punten}),
        },
    )
    assert response.status_code == 302
    assert len(Wijkronde.objects.get().route["coordinates"]) == 5_000


# --- photos -----------------------------------------------------------------------------------


def png_header_only(breedte: int, hoogte: int) -> bytes:
    """A PNG whose header declares breedte × hoogte pixels, followed by almost no pixel data."""

    def chunk(soort: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + soort + data + struct.pack(">I", zlib.crc32(soort + data))

    ihdr = struct.pack(">IIBBBBB", breedte, hoogte, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def png_7000():
    """A real 7000 × 7000 PNG: one colour, so a few KB on the wire and ~200 MB once decoded."""
    out = io.BytesIO()
    Image.new("L", (7000, 7000)).save(out, format="PNG")
    return out.getvalue()


def uploads(inhoud: bytes, aantal: int) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"groot{i}.png", inhoud, content_type="image/png") for i in range(aantal)]


def test_ten_7000_pixel_pngs_are_refused_from_their_headers(
    teamlid_client, thema, png_7000, django_assert_max_num_queries
):
    assert len(png_7000) < 200_000
    with django_assert_max_num_queries(12):
        response = teamlid_client.post(NIEUW, signaal_data(thema, fotos=uploads(png_7000, 10)))
    assert response.status_code == 200
    meldingen = errors(response, "fotos")
    assert len(meldingen) == 10
    assert meldingen[0] == (
        "groot0.png: De foto heeft te veel pixels: hoogstens 25 megapixel (bijvoorbeeld 6000 × 4000)."
    )
    assert not Signaal.objects.exists() and not Foto.objects.exists()


def test_a_header_declaring_a_huge_image_is_refused_without_decoding(teamlid_client, teamlid, thema):
    signaal = f.SignaalFactory(team=thema.gemeente.teams.get(), thema=thema, created_by=teamlid)
    upload = SimpleUploadedFile("bom.png", png_header_only(6000, 6000), content_type="image/png")
    response = teamlid_client.post(reverse("signalen:foto_toevoegen", args=[signaal.pk]), {"fotos": [upload]})
    assert response.status_code == 200
    # Decoding would have failed on the missing pixels ("geen foto"): the header alone refused it.
    assert "bom.png: De foto heeft te veel pixels: hoogstens 25 megapixel" in response.content.decode()
    assert not Foto.objects.exists()


def test_photos_allowed_one_by_one_are_refused_together_above_the_pixel_budget(teamlid_client, thema):
    # Six headers of 5000 × 5000 (25 megapixel each, allowed alone) make 150 together.
    files = [
        SimpleUploadedFile(f"f{i}.png", png_header_only(5000, 5000), content_type="image/png")
        for i in range(6)
    ]
    response = teamlid_client.post(NIEUW, signaal_data(thema, fotos=files))
    assert response.status_code == 200
    assert errors(response, "fotos") == [
        "Deze foto's zijn samen te groot (150 megapixel, hoogstens 125). "
        "Voeg ze in delen toe of verklein ze eerst."
    ]
    assert not Signaal.objects.exists() and not Foto.objects.exists()


def test_photos_together_above_50_mb_are_refused(teamlid_client, thema, monkeypatch):
    monkeypatch.setattr(fotos, "MAX_BYTES_PER_VERZOEK", 1000)
    response = teamlid_client.post(NIEUW, signaal_data(thema, fotos=[jpeg_upload("a.jpg") for _ in range(3)]))
    assert response.status_code == 200
    assert errors(response, "fotos") == ["Deze foto's zijn samen groter dan 50 MB. Voeg ze in delen toe."]
    assert not Signaal.objects.exists()


def test_a_request_body_above_the_limit_is_413_with_a_dutch_page(teamlid_client, thema, settings):
    settings.MAX_REQUEST_BYTES = 10_000
    response = teamlid_client.post(
        NIEUW,
        signaal_data(thema, fotos=[SimpleUploadedFile("a.jpg", b"x" * 20_000, content_type="image/jpeg")]),
    )
    assert response.status_code == 413
    assert "Te groot om te versturen" in response.content.decode()
    assert not Signaal.objects.exists()


def test_pillow_refuses_decompression_bombs_at_the_same_limit():
    assert Image.MAX_IMAGE_PIXELS == fotos.MAX_PIXELS


# --- CSV --------------------------------------------------------------------------------------


def test_csv_is_streamed_at_any_size_without_a_limit(teamlid_client, team, thema):
    for _ in range(3):
        f.SignaalFactory(team=team, thema=thema)
    response = teamlid_client.get(reverse("signalen:csv"))
    assert response.status_code == 200 and response.streaming
    assert not response.has_header("Content-Length")
    body = b"".join(response.streaming_content)
    assert len(list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))) == 4


def test_a_csv_that_fails_halfway_raises_out_of_the_stream():
    """No complete-looking file: the error leaves the stream, so gunicorn drops the chunked
    response without its closing chunk and the browser reports a failed download."""

    def rijen():
        yield [1]
        yield [2]
        raise RuntimeError("database weg")

    response = csv_streaming_response(filename="x.csv", header=["id"], rows=rijen())
    with pytest.raises(RuntimeError):
        b"".join(response.streaming_content)


# --- numbers beyond the database's range in the query string -------------------------------------

GROOT = "99999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        f"/signalen/nieuw/?team={GROOT}",
        f"/signalen/nieuw/?wijkronde={GROOT}",
        f"/signalen/wijkrondes/nieuw/?team={GROOT}",
        f"/signalen/plek/?team={GROOT}&lat=50.85&lon=5.69",
        f"/signalen/?thema={GROOT}&buurt={GROOT}&pagina={GROOT}",
        "/signalen/?titel=%00&pagina=%00",
        f"/signalen/{GROOT}/",
    ],
)
def test_out_of_range_numbers_and_nul_bytes_in_the_query_are_no_500(teamlid_client, url):
    assert teamlid_client.get(url).status_code in (200, 400, 404)


def test_plek_with_an_out_of_range_thema_answers_without_nearby_signals(teamlid_client, team):
    response = teamlid_client.get(
        "/signalen/plek/", {"team": team.pk, "lat": 50.85, "lon": 5.69, "thema": GROOT}
    )
    assert response.status_code == 200
    assert response.json()["nabij"] == []
