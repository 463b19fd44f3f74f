"""Photo service: content check, size limit, EXIF/GPS stripped, random stored name."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.actors import DEMO
from signalen.models import Foto
from signalen.services.fotos import MAX_BYTES, foto_add_upload, foto_clean
from tests.factories import SignaalFactory, UserFactory

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(*, size=(40, 20), orientation=None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x013B] = "Jan Jansen"  # Artist: a person's name that must not survive
    exif[GPS_IFD] = {1: "N", 2: (50.0, 51.0, 3.0), 3: "E", 4: (5.0, 41.0, 24.0)}
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def image_bytes(fmt: str, size=(30, 30), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (10, 120, 200, 255)[: len(mode)]).save(out, format=fmt)
    return out.getvalue()


def upload(data: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_source_really_has_gps_exif():
    with Image.open(io.BytesIO(jpeg_with_gps())) as image:
        assert image.getexif().get_ifd(GPS_IFD)


@pytest.mark.django_db
def test_jpeg_with_gps_is_stored_without_exif_under_a_random_name():
    signaal = SignaalFactory()
    door = UserFactory()
    foto = foto_add_upload(
        signaal=signaal, upload=upload(jpeg_with_gps(), name="Jan Jansen thuis.jpg"), door=door
    )

    assert Foto.objects.count() == 1
    assert foto.formaat == "jpg"
    assert foto.bestand.name == f"signalen/{signaal.pk}/{foto.uuid}.jpg"
    assert "Jansen" not in foto.bestand.name
    assert (foto.breedte, foto.hoogte) == (40, 20)
    with foto.bestand.open("rb") as f:
        stored = f.read()
    assert b"Jan Jansen" not in stored and b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info


def test_exif_orientation_is_applied_before_stripping():
    # Orientation 6: the camera was turned; the stored pixels must be upright.
    cleaned = foto_clean(upload=upload(jpeg_with_gps(size=(40, 20), orientation=6)))
    assert (cleaned.breedte, cleaned.hoogte) == (20, 40)
    with Image.open(io.BytesIO(cleaned.inhoud)) as image:
        assert image.size == (20, 40)
        assert not image.getexif()


@pytest.mark.parametrize(("fmt", "ext", "mode"), [("PNG", "png", "RGBA"), ("WEBP", "webp", "RGB")])
def test_png_and_webp_are_accepted(fmt, ext, mode):
    cleaned = foto_clean(upload=upload(image_bytes(fmt, mode=mode), name="x.bin", content_type="x/y"))
    assert cleaned.formaat == ext
    with Image.open(io.BytesIO(cleaned.inhoud)) as image:
        assert image.format == fmt


@pytest.mark.django_db
def test_text_renamed_to_jpg_is_refused_and_nothing_written():
    signaal = SignaalFactory()
    with pytest.raises(ValidationError) as err:
        foto_add_upload(
            signaal=signaal, upload=upload(b"Dit is geen foto maar tekst.\n" * 10, "foto.jpg"), door=DEMO
        )
    assert err.value.messages == ["Dit bestand is geen foto (alleen JPEG, PNG of WebP)."]
    assert Foto.objects.count() == 0


def test_other_image_formats_are_refused():
    with pytest.raises(ValidationError, match="geen foto"):
        foto_clean(upload=upload(image_bytes("GIF", mode="P"), "plaatje.gif", "image/gif"))


def test_truncated_jpeg_is_refused():
    data = jpeg_with_gps()
    with pytest.raises(ValidationError, match="geen foto"):
        foto_clean(upload=upload(data[: len(data) // 2]))


def test_too_large_is_refused():
    big = upload(b"\xff\xd8" + b"0" * MAX_BYTES)
    with pytest.raises(ValidationError) as err:
        foto_clean(upload=big)
    assert err.value.messages == ["De foto is groter dan 10 MB."]


def test_png_text_chunks_are_dropped_and_transparency_kept():
    from PIL import PngImagePlugin

    image = Image.new("P", (8, 8), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * (256 * 3 - 6))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jan Jansen, Pastoor Moorsstraat 12")
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info, transparency=0)
    cleaned = foto_clean(upload=upload(out.getvalue(), "kaart.png", "image/png"))
    assert b"Jansen" not in cleaned.inhoud
    with Image.open(io.BytesIO(cleaned.inhoud)) as result:
        assert result.mode == "RGBA"
        assert "Author" not in result.info


def test_cmyk_jpeg_becomes_rgb():
    out = io.BytesIO()
    Image.new("CMYK", (10, 10), (0, 100, 100, 0)).save(out, format="JPEG")
    cleaned = foto_clean(upload=upload(out.getvalue()))
    with Image.open(io.BytesIO(cleaned.inhoud)) as result:
        assert result.mode == "RGB"
