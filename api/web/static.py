"""Serve the web's static files (the stylesheet) under `/static/`."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC_PREFIX = "/static"


def mount_static(app: FastAPI) -> None:
    """Mount `api/web/static` at `/static` (named `static`)."""
    directory = resources.files("api.web").joinpath("static")
    app.mount(STATIC_PREFIX, StaticFiles(directory=str(directory)), name="static")
