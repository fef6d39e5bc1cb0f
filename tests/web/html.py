"""Reading a page as a test needs it: its language, links, metadata and visible text."""

from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    """A page's `<html lang>`, links with their text, `<meta>` values, title and text."""

    def __init__(self, document: str) -> None:
        super().__init__()
        self.lang: str | None = None
        self.title = ""
        self.links: list[tuple[str, str]] = []
        self.meta: dict[str, str] = {}
        self.link_rels: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()
        self.landmarks: list[str] = []
        self.text_parts: list[str] = []
        self._href: str | None = None
        self._link_text = ""
        self._in_title = False
        self.feed(document)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def hrefs(self) -> list[str]:
        return [href for href, _ in self.links]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "html":
            self.lang = values.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = values.get("name") or values.get("property")
            if key:
                self.meta[key] = values.get("content", "")
        elif tag == "link":
            self.link_rels.append(
                (values.get("rel", ""), values.get("type", ""), values.get("href", ""))
            )
        elif tag == "a":
            self._href, self._link_text = values.get("href"), ""
        if tag in ("header", "nav", "main", "footer"):
            self.landmarks.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join(self._link_text.split())))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._href is not None:
            self._link_text += data
        self.text_parts.append(data)
