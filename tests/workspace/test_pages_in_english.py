"""Every workspace page reads in English with ?lang=en, and its links and forms keep it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.api import MALMO, Api
from tests.workspace.client import Person


def test_every_page_reads_in_english_and_keeps_the_language(api: Api) -> None:
    dialogue = api.dialogue(MALMO, observations=2)
    issue = api.issue(MALMO)
    draft = api.promise(MALMO)
    issued = api.promise(MALMO, state="issued")
    follow_up = issued["follow_ups"][0]["id"]
    admin = Person(TestClient(api.app))
    admin.sign_in(api.secrets["admin"])
    police = Person(TestClient(api.app))
    police.sign_in(api.secrets["police"])
    pages = {
        police: [
            "/arbete/",
            "/arbete/dialoger?kommun=1280",
            "/arbete/dialoger/ny?kommun=1280",
            f"/arbete/dialoger/{dialogue['id']}",
            "/arbete/problem?kommun=1280",
            "/arbete/problem/nytt?kommun=1280",
            f"/arbete/problem/{issue['id']}",
            "/arbete/loften?kommun=1280",
            "/arbete/loften/nytt?kommun=1280",
            f"/arbete/loften/{draft['id']}",
            f"/arbete/loften/{draft['id']}/utfarda",
            f"/arbete/loften/{issued['id']}",
            f"/arbete/loften/{issued['id']}/uppfoljningar/{follow_up}",
            f"/arbete/historik/{issued['id']}",
        ],
        admin: ["/arbete/admin/", "/arbete/"],
    }
    for someone, paths in pages.items():
        for path in paths:
            answer = someone.get(path, lang="en")
            assert answer.status_code == 200, (path, answer.text[:500])
            assert '<html lang="en">' in answer.text, path
            assert "Signed in as" in answer.text, path
            assert 'action="/arbete/logga-ut?lang=en"' in answer.text, path
