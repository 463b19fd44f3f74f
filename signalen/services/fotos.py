"""Photos with a signal: checked by content, re-encoded without EXIF (GPS), stored under a random name.

A photo from a phone carries the place and time it was taken and sometimes the device owner's
name; none of that may be kept. So the file is opened by Pillow (its name and the browser's
content type are ignored), only JPEG, PNG and WebP are accepted, the pixels are turned upright
from the EXIF orientation and copied into a fresh image, and that fresh image is what is saved.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from audit.services import audit_record
from core.actors import is_system, require_actor
from signalen.models import Foto, Signaal

MAX_BYTES = 10 * 1024 * 1024
# A photo is decoded into width × height × 4 bytes, and cleaning it copies the pixels two or three
# times; a PNG of 7000 × 7000 pixels is a few KB on the wire and ~600 MB in a worker. So the size
# the file's header declares is checked before any pixel is decoded: 25 megapixel per photo (a
# 6000 × 4000 camera photo; phones take 12), 125 per request (ten phone photos).
MAX_PIXELS = 25_000_000
MAX_PIXELS_PER_VERZOEK = 125_000_000
MAX_BYTES_PER_VERZOEK = 50 * 1024 * 1024
# Pillow's own decompression-bomb guard, at the same limit: it raises above twice this and warns
# above it, also where an image is opened without _check_header() first.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# MPO is how Pillow names the multi-picture JPEGs many phones write.
FORMATEN = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}

GEEN_FOTO = _("Dit bestand is geen foto (alleen JPEG, PNG of WebP).")
TE_GROOT = _("De foto is groter dan 10 MB.")
TE_VEEL_PIXELS = _("De foto heeft te veel pixels: hoogstens 25 megapixel (bijvoorbeeld 6000 × 4000).")
SAMEN_TE_VEEL_PIXELS = _(
    "Deze foto's zijn samen te groot (%(megapixel)s megapixel, hoogstens 125). "
    "Voeg ze in delen toe of verklein ze eerst."
)
SAMEN_TE_VEEL_BYTES = _("Deze foto's zijn samen groter dan 50 MB. Voeg ze in delen toe.")


@dataclass(frozen=True)
class SchoneFoto:
    """A re-encoded photo, ready to save: no EXIF, no original name."""

    inhoud: bytes
    formaat: str  # jpg, png, webp
    breedte: int
    hoogte: int


def _read(upload: Any) -> bytes:
    if getattr(upload, "size", None) is not None and upload.size > MAX_BYTES:
        raise ValidationError(TE_GROOT, code="te_groot")
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(TE_GROOT, code="te_groot")
    return data


def _check_header(image: Image.Image) -> None:
    if image.format not in FORMATEN:
        raise ValidationError(GEEN_FOTO, code="geen_foto")
    if image.width * image.height > MAX_PIXELS:
        raise ValidationError(TE_VEEL_PIXELS, code="te_veel_pixels")


def _open(data: bytes) -> Image.Image:
    """Open (read the header of) an image; Pillow refuses one declaring over twice MAX_PIXELS itself."""
    try:
        return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise ValidationError(TE_VEEL_PIXELS, code="te_veel_pixels") from None


def foto_pixels(*, upload: Any) -> int:
    """Width × height as the file's header declares it, without decoding; ValidationError if refused."""
    data = _read(upload)
    try:
        with _open(data) as image:
            _check_header(image)
            return image.width * image.height
    except ValidationError:
        raise
    except Exception:
        raise ValidationError(GEEN_FOTO, code="geen_foto") from None


def fotos_check_budget(*, uploads: list[Any]) -> None:
    """Refuse the uploads of one request together above the byte and pixel budget, before decoding any.

    A file that is refused on its own counts for nothing here: `foto_clean` refuses it by name.
    """
    if sum(getattr(upload, "size", 0) or 0 for upload in uploads) > MAX_BYTES_PER_VERZOEK:
        raise ValidationError(SAMEN_TE_VEEL_BYTES, code="samen_te_groot")
    pixels = 0
    for upload in uploads:
        try:
            pixels += foto_pixels(upload=upload)
        except ValidationError:
            continue  # foto_clean names what is wrong with this file
    if pixels > MAX_PIXELS_PER_VERZOEK:
        raise ValidationError(
            SAMEN_TE_VEEL_PIXELS, code="samen_te_veel_pixels", params={"megapixel": pixels // 1_000_000}
        )


def foto_clean(*, upload: Any) -> SchoneFoto:
    """Check an upload by its content and re-encode it without metadata; ValidationError if refused."""
    data = _read(upload)
    try:
        with _open(data) as probe:
            # The header only: a declared size over the limit is refused before verify() reads on.
            _check_header(probe)
            formaat = probe.format
            probe.verify()
        # verify() leaves the image unusable; open it again to read the pixels.
        with _open(data) as image:
            _check_header(image)
            upright = ImageOps.exif_transpose(image)
            upright.load()
    except ValidationError:
        raise
    except Exception:
        # Whatever a hostile or broken file makes Pillow raise (bad EXIF included) means: not a photo.
        raise ValidationError(GEEN_FOTO, code="geen_foto") from None

    extension = FORMATEN[formaat]
    try:
        schoon, inhoud = _encode(upright, extension)
    except Exception:
        # An exotic pixel format Pillow cannot turn into a plain photo.
        raise ValidationError(GEEN_FOTO, code="geen_foto") from None
    return SchoneFoto(inhoud=inhoud, formaat=extension, breedte=schoon.width, hoogte=schoon.height)


def _encode(upright: Image.Image, extension: str) -> tuple[Image.Image, bytes]:
    """Copy the pixels into a fresh image and encode it: no EXIF, XMP, ICC or text chunks come along."""
    heeft_alfa = "A" in upright.getbands() or "transparency" in upright.info
    if extension == "jpg":
        mode = "L" if upright.mode == "L" else "RGB"
    elif upright.mode in ("RGB", "RGBA", "L", "LA"):
        mode = upright.mode
    else:
        mode = "RGBA" if heeft_alfa else "RGB"
    pixels = upright.convert(mode) if mode != upright.mode else upright
    schoon = Image.new(pixels.mode, pixels.size)
    schoon.paste(pixels)

    out = io.BytesIO()
    if extension == "jpg":
        schoon.save(out, format="JPEG", quality=85, optimize=True)
    elif extension == "png":
        schoon.save(out, format="PNG", optimize=True)
    else:
        schoon.save(out, format="WEBP", quality=85)
    return schoon, out.getvalue()


@transaction.atomic
def foto_add(*, signaal: Signaal, foto: SchoneFoto, door: Any) -> Foto:
    """Store a cleaned photo with a signal under a random name (`Foto.uuid`), never the uploaded one."""
    require_actor(door)
    maker = None if is_system(door) else door
    record = Foto(signaal=signaal, uuid=uuid.uuid4(), formaat=foto.formaat, created_by=maker)
    record.bestand.save(f"{record.uuid}.{foto.formaat}", ContentFile(foto.inhoud), save=False)
    # Known from the cleaning step; Django would otherwise read the stored file back.
    record.breedte, record.hoogte = foto.breedte, foto.hoogte
    record.save()
    audit_record(
        door=door,
        actie="foto.add",
        object=record,
        team_id=signaal.team_id,
        details={"signaal_id": signaal.pk, "formaat": foto.formaat},
    )
    return record


def foto_add_upload(*, signaal: Signaal, upload: Any, door: Any) -> Foto:
    """Check, clean and store one uploaded file with a signal; ValidationError if it is refused."""
    return foto_add(signaal=signaal, foto=foto_clean(upload=upload), door=door)


def foto_content_type(foto: Foto) -> str:
    return CONTENT_TYPES.get(foto.formaat, "application/octet-stream")
