"""A person in the workspace, in tests: signs in with a token, reads pages, sends forms.

Forms are sent as a browser sends them: with the CSRF token read from the page the
form is on, so a test that leaves it out is testing exactly that.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi.testclient import TestClient

from api.app import create_app  # noqa: F401  (for type readers: the app under test)

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


class Person:
    """One browser: its own cookies, signed in (or not) to the workspace."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def sign_in(self, secret: str, next_path: str = "/arbete/") -> httpx.Response:
        page = self.client.get("/arbete/logga-in", params={"next": next_path})
        assert page.status_code == 200, page.text
        return self.client.post(
            "/arbete/logga-in",
            data={"csrf_token": csrf_of(page.text), "token": secret, "next": next_path},
            follow_redirects=False,
        )

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.client.get(path, params=params or None, follow_redirects=False)

    def send(
        self, page_path: str, action: str, data: dict[str, Any], **kwargs: Any
    ) -> httpx.Response:
        """Open `page_path`, then send its form to `action` with `data` and its CSRF token."""
        page = self.client.get(page_path)
        assert page.status_code == 200, page.text
        return self.client.post(
            action,
            data={"csrf_token": csrf_of(page.text), **data},
            follow_redirects=False,
            **kwargs,
        )
