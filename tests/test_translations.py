"""Both shipped languages are complete, and Dutch is what a Dutch browser gets."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_catalogue_is_complete_and_compiled(language):
    po_path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(po_path.with_suffix(".mo")))}
    source = {entry.msgid: entry.msgstr for entry in catalogue if not entry.msgid_plural and not entry.obsolete}
    stale = [msgid for msgid, text in source.items() if compiled.get(msgid) != text]
    assert not stale, f"django.mo is stale ({len(stale)} differ): run compilemessages"


@pytest.mark.django_db
def test_dutch_browser_gets_dutch(login, cast):
    response = login(cast["coach_a"]).get(reverse("caseload:client_list"), HTTP_ACCEPT_LANGUAGE="nl")
    assert b"Filters toepassen" in response.content


@pytest.mark.django_db
def test_language_switch_sticks(login, cast):
    client = login(cast["coach_a"])
    client.post(reverse("set_language"), {"language": "en", "next": "/clients/"})
    response = client.get(reverse("caseload:client_list"), HTTP_ACCEPT_LANGUAGE="nl")
    assert b"Apply filters" in response.content


@pytest.mark.django_db
def test_language_can_be_chosen_on_the_login_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert response.status_code == 302 and response.url == "/login/"
    assert b"Log in" in client.get("/login/", HTTP_ACCEPT_LANGUAGE="nl").content
