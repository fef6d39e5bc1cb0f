"""Planted data: what is not public appears in no public page, report, PDF or open-data file.

The test records, over HTTP with named tokens, a year in which every kind of thing
the public must not see carries a marker: an observation's note naming a person (and a
note given by a correction), a draft promise (and its text), a draft withdrawn before
issuance (and why), an issue that only the draft addresses (its title, description and
rationale), a rejected issue (and why), and the labels of the tokens that recorded
everything. Then it reads everything the public can reach: it crawls every page from
`/` in Swedish and English, following each same-site link (JSON twins, reports in every
form, the calendar feed, open data, the audit trail), and reads every report, package
and the audit listing directly too. PDFs are read as text (pypdf) and zips file by file.

A marker on the issued promise is the control: it must be found, or the crawl did
not reach what it checks.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import deque
from urllib.parse import urlsplit

from pypdf import PdfReader

from tests.support.api import (
    TOKENS,
    Api,
    activity_body,
    dialogue_body,
    issue_body,
    observation_body,
    promise_body,
    signature_body,
)
from tests.web.html import Page

NOTE = "Planterad anteckning: Greta Gustafsson 19650412-1234 bor i porten"
CORRECTED_NOTE = "Planterad rättad anteckning: Olle Olsson i trappuppgång B"
DRAFT_TITLE = "Planterat utkast Lindängen"
DRAFT_TEXT = "Planterad utkasttext som aldrig utfärdades"
WITHDRAWN_TITLE = "Planterat återkallat utkast"
WITHDRAWN_REASON = "Planterad återkallelse: fel person tillfrågad"
UNADDRESSED_TITLE = "Planterat problem utan utfärdat löfte"
UNADDRESSED_DESCRIPTION = "Planterad beskrivning om familjen Svensson"
UNADDRESSED_RATIONALE = "Planterad motivering om en granne"
REJECTED_TITLE = "Planterat avvisat problem"
REJECTED_REASON = "Planterat avslag: anmälaren Sven Svensson"
LABELS = tuple(f"{name} label" for name in TOKENS)

NEVER_PUBLIC = (
    NOTE,
    CORRECTED_NOTE,
    "19650412-1234",
    DRAFT_TITLE,
    DRAFT_TEXT,
    WITHDRAWN_TITLE,
    WITHDRAWN_REASON,
    UNADDRESSED_TITLE,
    UNADDRESSED_DESCRIPTION,
    UNADDRESSED_RATIONALE,
    REJECTED_TITLE,
    REJECTED_REASON,
    *LABELS,
)
#: On the issued promise: public, so the crawl must find it.
CONTROL = "Planterat utfärdat löfte Lindängen"

#: Links the crawl does not follow: the API's docs. Nor does it visit the pages of
#: municipalities other than Malmö, or of years other than `YEARS`.
NOT_FOLLOWED = ("/docs", "/redoc", "/openapi.json")
MAX_URLS = 400
YEARS = (2024, 2025, 2026)
YEAR_IN_PATH = re.compile(r"/((?:19|20)\d\d)(?=/|$)")


def plant(api: Api) -> dict[str, str]:
    """The planted year (Malmö, 2025), recorded over HTTP by the scenario's tokens."""
    dialogue = api.ok("/api/v1/dialogues", dialogue_body(), "police")
    recorded = api.ok(
        f"/api/v1/dialogues/{dialogue['id']}/observations",
        {"observations": [observation_body(note=NOTE), observation_body(summary="Nedskräpning")]},
        "municipality",
    )
    # A correction of the second observation's note: the new note is as internal as the old.
    second = recorded["observations"][1]["id"]
    api.ok(
        f"/api/v1/dialogues/{dialogue['id']}/observations/{second}/correction",
        {"note": CORRECTED_NOTE, "reason": "Anteckningen gällde fel person."},
        "municipality",
    )
    evidence = [{"dialogue_id": dialogue["id"]}]

    def prioritised(title: str, **extra: str) -> dict[str, str]:
        issue = api.ok(
            "/api/v1/issues", issue_body(evidence=evidence, title=title, **extra), "police"
        )
        api.ok(
            f"/api/v1/issues/{issue['id']}/prioritisation",
            {"priority": 2, "rationale": extra.pop("rationale", "Många nämnde det.")},
            "police",
        )
        return issue

    public_issue = prioritised("Nedskräpning i centrum")
    unaddressed = api.ok(
        "/api/v1/issues",
        issue_body(evidence=evidence, title=UNADDRESSED_TITLE, description=UNADDRESSED_DESCRIPTION),
        "police",
    )
    api.ok(
        f"/api/v1/issues/{unaddressed['id']}/prioritisation",
        {"priority": 3, "rationale": UNADDRESSED_RATIONALE},
        "police",
    )
    rejected = api.ok(
        "/api/v1/issues", issue_body(evidence=evidence, title=REJECTED_TITLE), "police"
    )
    api.ok(f"/api/v1/issues/{rejected['id']}/rejection", {"reason": REJECTED_REASON}, "police")

    issued = api.ok(
        "/api/v1/promises",
        promise_body(
            ["1280"],
            [public_issue["id"]],
            title=CONTROL,
            activities=[activity_body()],
        ),
        "police",
    )
    api.ok(f"/api/v1/promises/{issued['id']}/signatures", signature_body("police"), "police")
    api.ok(
        f"/api/v1/promises/{issued['id']}/signatures",
        signature_body("municipality", "1280"),
        "municipality",
    )
    api.ok(f"/api/v1/promises/{issued['id']}/issuance", {"issued_on": "2025-02-08"}, "police")
    api.ok(
        f"/api/v1/promises/{issued['id']}/feedback",
        {"published_on": "2025-02-09", "channel": "malmo.se", "summary": "Vi har börjat."},
        "municipality",
    )
    draft = api.ok(
        "/api/v1/promises",
        promise_body(["1280"], [unaddressed["id"]], title=DRAFT_TITLE, text=DRAFT_TEXT),
        "municipality",
    )
    withdrawn = api.ok(
        "/api/v1/promises",
        promise_body(["1280"], [unaddressed["id"]], title=WITHDRAWN_TITLE),
        "police",
    )
    api.ok(f"/api/v1/promises/{withdrawn['id']}/withdrawal", {"reason": WITHDRAWN_REASON}, "police")
    return {"dialogue": dialogue["id"], "issued": issued["id"], "draft": draft["id"]}


def public_text(api: Api, url: str) -> tuple[str, str]:
    """What the public gets at `url` as text (PDFs and zips opened), and its media type."""
    response = api.get(url)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    kind = response.headers["content-type"].split(";")[0]
    if kind == "application/pdf":
        pages = PdfReader(io.BytesIO(response.content)).pages
        return "\n".join(page.extract_text() for page in pages), kind
    if kind == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist()), kind
    return response.text, kind


def crawl(api: Api, start: list[str]) -> dict[str, str]:
    """Every same-site URL reachable from `start` by links, with what it answered."""
    seen: dict[str, str] = {}
    queue = deque(start)
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        assert len(seen) < MAX_URLS, "the crawl found more URLs than a public site of one year"
        text, kind = public_text(api, url)
        seen[url] = text
        if kind != "text/html":
            continue
        for href in Page(text).hrefs():
            target = urlsplit(href)
            if target.scheme or target.netloc or not target.path.startswith("/"):
                continue
            if any(part in target.path for part in NOT_FOLLOWED):
                continue
            if target.path.startswith("/kommun/") and target.path != "/kommun/1280":
                continue  # the 289 others have nothing recorded
            if any(int(year) not in YEARS for year in YEAR_IN_PATH.findall(target.path)):
                continue  # coverage pages link year to year, back to 1900
            link = target.path + (f"?{target.query}" if target.query else "")
            if link not in seen:
                queue.append(link)
    return seen


def test_nothing_planted_reaches_the_public(fresh_api: Api) -> None:
    ids = plant(fresh_api)
    reached = crawl(fresh_api, ["/", "/?lang=en", "/kommun/1280", "/kommun/1280?lang=en"])
    direct = (
        [
            f"/api/v1/reports/annual/1280/2025?format={form}{lang}"
            for form in ("html", "pdf", "csv", "json")
            for lang in ("", "&lang=en")
        ]
        + [
            f"/api/v1/reports/national/2025?format={form}"
            for form in ("html", "pdf", "csv", "json")
        ]
        + [
            "/api/v1/open-data/1280.zip",
            "/api/v1/open-data/national.zip",
            f"/api/v1/dialogues/{ids['dialogue']}/outcomes",
            f"/api/v1/promises/{ids['issued']}/derivation",
            "/api/v1/promises?municipality=1280",
            "/api/v1/deadlines?municipality=1280",
            "/api/v1/municipalities/1280/deadlines.ics",
        ]
    )
    for url in direct:
        reached.setdefault(url, public_text(fresh_api, url)[0])

    # The crawl reached the promise's, the dialogue's and the reports' pages and files.
    for must in (
        f"/lofte/{ids['issued']}",
        f"/dialog/{ids['dialogue']}",
        "/api/v1/open-data/1280.zip",
        "/api/v1/reports/annual/1280/2025?format=pdf",
    ):
        assert any(url.startswith(must) for url in reached), must
    found_control = [url for url, text in reached.items() if CONTROL in text]
    assert len(found_control) >= 10, found_control
    for url, text in reached.items():
        for secret in NEVER_PUBLIC:
            assert secret not in text, (url, secret)
