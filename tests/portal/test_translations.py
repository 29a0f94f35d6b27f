"""The English catalogue: complete, compiled, and used by the pages after the language switch.

Vietnamese is the source language; locale/en/LC_MESSAGES/django.po holds the English texts and the
committed django.mo is what Django reads (a fresh machine may lack GNU gettext to compile it).
After changing user-facing text: `make messages`, translate the new entries, `make messages` again.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

# The ones a Python format string or a {% blocktranslate %} can hold.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def parse_po(path):
    """The live entries of a .po file: dicts with flags, msgctxt, msgid, msgid_plural, msgstr.

    `msgstr` is a list: one string, or one per plural form. Obsolete (#~) entries are skipped,
    as msgfmt skips them. Strings are quoted and escaped as in Python, so ast reads them.
    """
    entries, entry, field = [], None, None

    def current():
        # A comment, msgctxt or msgid after a complete entry begins the next one.
        nonlocal entry
        if entry is None or entry["msgid"] is not None:
            entry = {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}}
            entries.append(entry)
        return entry

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            flags = current()["flags"]
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            field, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if field in ("msgctxt", "msgid"):
                current()
        msgstr = re.fullmatch(r"msgstr(?:\[(\d+)\])?", field or "")
        if msgstr:
            form = int(msgstr.group(1) or 0)
            entry["msgstr"][form] = entry["msgstr"].get(form, "") + value
        elif field in ("msgctxt", "msgid", "msgid_plural"):
            entry[field] = (entry[field] or "") + value
        else:
            raise AssertionError(f"{path.name}:{number}: cannot read {raw!r}")
    for item in entries:
        item["msgstr"] = [item["msgstr"][form] for form in sorted(item["msgstr"])]
    return entries


@pytest.fixture(scope="module")
def po_entries():
    return parse_po(PO_FILE)


@pytest.fixture(scope="module")
def messages(po_entries):
    """The translatable entries, without the header."""
    return [entry for entry in po_entries if entry["msgid"]]


def catalogue_key(entry):
    """How msgfmt and gettext.GNUTranslations key an entry (context joined by EOT)."""
    return entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"


def describe(entry):
    return entry["msgid"][:70]


# --- The .po file ------------------------------------------------------------------------------


def test_po_header_is_english_with_english_plurals(po_entries):
    header = po_entries[0]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    text = header["msgstr"][0]
    assert "Language: en\n" in text
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in text
    assert "Content-Type: text/plain; charset=UTF-8\n" in text


def test_po_has_entries(messages):
    # Guards the parser: a catalogue read as empty would pass every check below.
    assert len(messages) > 100
    assert any(entry["msgid"] == "Đăng nhập" for entry in messages)


def test_every_entry_is_translated(messages):
    untranslated = [describe(e) for e in messages if not e["msgstr"] or not all(e["msgstr"])]
    assert not untranslated, f"untranslated entries, run `make messages` and translate: {untranslated}"


def test_no_entry_is_fuzzy(messages):
    # makemessages guesses a translation from a similar string and marks it fuzzy; Django ignores
    # fuzzy entries, and the guess is often wrong: check it, then remove the flag.
    fuzzy = [describe(e) for e in messages if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy entries, review them and remove the flag: {fuzzy}"


def test_plural_entries_have_both_english_forms(messages):
    plurals = [e for e in messages if e["msgid_plural"] is not None]
    assert plurals
    for entry in plurals:
        assert len(entry["msgstr"]) == 2, describe(entry)


def test_translations_keep_the_placeholders(messages):
    for entry in messages:
        if entry["msgid_plural"] is None:
            expected = sorted(PLACEHOLDER.findall(entry["msgid"]))
            assert sorted(PLACEHOLDER.findall(entry["msgstr"][0])) == expected, describe(entry)
        else:
            # An English singular may spell out the number ("One unit found."), never invent one.
            allowed = set(PLACEHOLDER.findall(entry["msgid_plural"]))
            for form in entry["msgstr"]:
                assert set(PLACEHOLDER.findall(form)) <= allowed, describe(entry)
            assert set(PLACEHOLDER.findall(entry["msgstr"][-1])) == allowed, describe(entry)


# --- The compiled .mo --------------------------------------------------------------------------


def test_mo_matches_the_po(messages):
    """A forgotten `compilemessages` (or `make messages`) leaves a stale .mo: Django reads only it."""
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalogue = dict(compiled._catalog)  # msgid -> msgstr; (msgid, n) -> plural form n
    catalogue.pop("", None)  # the header

    expected = {}
    for entry in messages:
        if entry["msgid_plural"] is None:
            expected[catalogue_key(entry)] = entry["msgstr"][0]
        else:
            for n, text in enumerate(entry["msgstr"]):
                expected[(catalogue_key(entry), n)] = text

    stale = "locale/en/LC_MESSAGES/django.mo is out of date: run `make messages` and commit it."
    assert len(catalogue) == len(expected), stale
    assert set(catalogue) == set(expected), stale
    assert catalogue == expected, stale
    assert compiled.info()["language"] == "en"
    assert compiled.ngettext("Tìm thấy %(counter)s đơn vị.", "Tìm thấy %(counter)s đơn vị.", 1) == (
        "%(counter)s unit found."
    )


# --- The pages ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _restore_active_language():
    # A request leaves its language active in the thread: do not leak English into other tests.
    with translation.override(translation.get_language()):
        yield


def test_login_page_is_vietnamese_by_default(client, db):
    content = client.get("/dang-nhap/").content.decode()

    assert settings.LANGUAGE_CODE == "vi"
    assert '<html lang="vi">' in content
    assert "Đăng nhập" in content
    assert "Tên đăng nhập" in content
    assert "Mật khẩu" in content
    assert "Username" not in content
    # The switch offers the other language.
    assert 'name="language" value="en"' in content


def test_language_switch_shows_the_login_page_in_english(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/"

    content = client.get("/dang-nhap/").content.decode()
    assert '<html lang="en">' in content
    assert "<title>Log in</title>" in content
    assert "Username" in content
    assert "Password" in content
    assert "Open-source software for commune-level Public Administrative Service Centres." in content
    for vietnamese in ("Đăng nhập", "Tên đăng nhập", "Mật khẩu"):
        assert vietnamese not in content
    assert 'name="language" value="vi"' in content

    # And back.
    client.post("/i18n/setlang/", {"language": "vi", "next": "/dang-nhap/"})
    content = client.get("/dang-nhap/").content.decode()
    assert '<html lang="vi">' in content
    assert "Tên đăng nhập" in content


def test_english_login_error(client, clerk):
    client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})
    response = client.post("/dang-nhap/", {"username": "canbo", "password": "sai-mat-khau"})
    assert "Incorrect username or password. Please try again." in response.content.decode()


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_html_lang_follows_the_chosen_language(client, db, language):
    client.post("/i18n/setlang/", {"language": language, "next": "/dang-nhap/"})
    content = client.get("/dang-nhap/").content.decode()
    assert f'<html lang="{language}">' in content
