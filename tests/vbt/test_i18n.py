"""The English catalogue is complete, compiled, and used when a person chooses English."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _unquote(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def parse_po(path: Path) -> tuple[dict[str, str], list[str]]:
    """msgid → msgstr (msgstr[0] for plurals), and the msgids flagged fuzzy."""
    entries: dict[str, str] = {}
    fuzzy: list[str] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, list[str]] = {}
        key = None
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line)
            if match:
                key = match.group(1)
                fields[key] = [match.group(2)]
            elif line.startswith('"') and key:
                fields[key].append(line)
        if "msgid" not in fields:
            continue
        msgid = _unquote(fields["msgid"])
        if not msgid:
            continue
        msgstr = _unquote(fields.get("msgstr", fields.get("msgstr[0]", ['""'])))
        if "msgctxt" in fields:
            msgid = f"{_unquote(fields['msgctxt'])}\x04{msgid}"
        entries[msgid] = msgstr
        if "fuzzy" in flags:
            fuzzy.append(msgid)
    return entries, fuzzy


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    entries, fuzzy = parse_po(PO)
    assert len(entries) > 500
    assert [msgid for msgid, msgstr in entries.items() if not msgstr] == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_po_file():
    entries, _fuzzy = parse_po(PO)
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog
    singular = {
        k if isinstance(k, str) else k[0]: v
        for k, v in compiled.items()
        if k != "" and (isinstance(k, str) or k[1] == 0)
    }
    assert singular == entries, "run `make messages` (needs GNU gettext) to recompile django.mo"


TEMPLATE_STRING = re.compile(r"""{%\s*translate\s+(?:"([^"]+)"|'([^']+)')""")


def test_every_translate_tag_in_the_templates_is_in_the_catalogue():
    entries, _fuzzy = parse_po(PO)
    missing = {
        f"{path.relative_to(ROOT)}: {text}"
        for folder in (ROOT / "templates", ROOT / "buurten" / "templates")
        for path in folder.rglob("*.html")
        for double, single in TEMPLATE_STRING.findall(path.read_text(encoding="utf-8"))
        if (text := double or single) not in entries
    }
    assert not missing, "untranslated strings; run `make messages` and translate them:\n" + "\n".join(
        sorted(missing)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language,expected", [("nl", "Samen met bewoners"), ("en", "Working with residents")]
)
def test_the_home_page_speaks_the_chosen_language(client, language, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_choosing_english_in_the_footer_switches_the_site(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
