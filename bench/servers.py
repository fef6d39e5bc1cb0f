"""The three HTTP servers the write benchmark compares, each run in its own process.

- `ours`: `api.app.create_app` as `loften serve` runs it: bearer token, request
  validation, the Idempotency-Key middleware, the actor from the token, the command
  through `Loftesboken`, one `DialogueHeld` event in the SQLite store.
- `minimal`: the least a FastAPI + eventsourcing service can do for one write: a
  pydantic body, an `Application` of its own with one tiny aggregate, one event saved
  in a SQLite store of its own (same library, same file format, same sync).
- `bare`: a FastAPI endpoint that does nothing, so the HTTP stack's own cost shows.

`python -m bench.servers <kind> --port N --database-url sqlite:///...` serves one on
127.0.0.1 with uvicorn until it is terminated.
"""

from __future__ import annotations

import argparse
from typing import Any
from uuid import UUID, uuid4

import uvicorn
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from fastapi import FastAPI
from pydantic import BaseModel

KINDS = ("ours", "minimal", "bare")


class Note(Aggregate):
    """The minimal endpoint's aggregate: one text, one creation event."""

    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text


class Notes(Application[UUID]):
    """The minimal endpoint's application: saves a `Note` and nothing else."""

    name = "notes"


class NoteIn(BaseModel):
    text: str


def minimal_app(database_url: str) -> FastAPI:
    path = database_url.removeprefix("sqlite:///")
    notes = Notes(
        env={
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": path,
            "SQLITE_LOCK_TIMEOUT": "10",  # as `Settings.event_store_environment` says
        }
    )
    api = FastAPI()

    @api.post("/notes", status_code=201)
    def write(body: NoteIn) -> dict[str, Any]:
        note = Note(body.text)
        notes.save(note)
        return {"id": str(note.id), "version": note.version}

    @api.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return api


def bare_app() -> FastAPI:
    api = FastAPI()

    @api.post("/nothing", status_code=201)
    def nothing() -> dict[str, str]:
        return {"id": str(uuid4())}

    @api.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return api


def ours_app(database_url: str) -> FastAPI:
    from api.app import create_app
    from workflow.settings import Settings

    return create_app(Settings(database_url=database_url))


def build(kind: str, database_url: str) -> FastAPI:
    if kind == "ours":
        return ours_app(database_url)
    if kind == "minimal":
        return minimal_app(database_url)
    if kind == "bare":
        return bare_app()
    raise ValueError(f"unknown server kind {kind!r}; one of {', '.join(KINDS)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args(argv)
    uvicorn.run(
        build(args.kind, args.database_url),
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
