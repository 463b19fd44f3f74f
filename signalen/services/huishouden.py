"""The household of a steunbetuiging: postcode + huisnummer, kept only as a keyed hash."""

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

POSTCODE_ONGELDIG = _("Vul een geldige postcode in, zoals 1234 AB.")
HUISNUMMER_ONGELDIG = _("Vul een huisnummer in, eventueel met toevoeging, zoals 12 of 12a.")

_POSTCODE = re.compile(r"^([1-9][0-9]{3})([A-Z]{2})$")
# A number, then optionally a short addition: after a space or hyphen any letters or digits
# (12-2, 12 bis, 12 II), written straight after the number only starting with a letter (12a),
# so that 122 stays number 122 and 123456 is no huisnummer at all.
_HUISNUMMER = re.compile(r"^([1-9][0-9]{0,4})(?:(?:\s*-\s*|\s+)([A-Z0-9]{1,4})|([A-Z][A-Z0-9]{0,3}))?$")


def postcode_normalise(postcode: str) -> str:
    """A Dutch postcode as "1234 AB"; ValidationError for anything else."""
    m = _POSTCODE.match(re.sub(r"\s+", "", postcode or "").upper())
    if not m:
        raise ValidationError({"postcode": POSTCODE_ONGELDIG}, code="postcode")
    return f"{m.group(1)} {m.group(2)}"


def huisnummer_normalise(huisnummer: str) -> str:
    """A huisnummer as "12" or "12-A" (so 12a, 12 A and 12-a are one household)."""
    value = " ".join((huisnummer or "").strip().upper().split())
    m = _HUISNUMMER.match(value)
    if not m:
        raise ValidationError({"huisnummer": HUISNUMMER_ONGELDIG}, code="huisnummer")
    nummer, na_scheiding, direct = m.groups()
    toevoeging = na_scheiding or direct
    return f"{nummer}-{toevoeging}" if toevoeging else nummer


def huishouden_hash(*, postcode: str, huisnummer: str) -> str:
    """HMAC-SHA256 (hex) of the normalised address with settings.STEUN_HASH_KEY; no address is kept."""
    errors: dict[str, list] = {}
    try:
        pc = postcode_normalise(postcode)
    except ValidationError as e:
        errors.update(e.message_dict)
    try:
        nr = huisnummer_normalise(huisnummer)
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    message = f"{pc}|{nr}".encode()
    return hmac.new(settings.STEUN_HASH_KEY.encode(), message, hashlib.sha256).hexdigest()
