"""The request a command runs for, so the events it records name it (`_request_`).

The API's middleware sets `current_request_id` for each request; the event store's
mapper (`infra.codec.SealingMapper`) writes it into each new event's stored state
under `REQUEST_KEY`, beside the seal, which the domain never reads and the audit
chain does not commit to (`projections.eventdata.RECORD_FIELDS`). So an auditor can
go from a request's log line to the events it recorded and back. Events recorded
outside a request (the CLI, the deadline watcher, the demo) carry none, as do
events recorded before this existed: the stored format only gains an optional key.
"""

from __future__ import annotations

from contextvars import ContextVar

from projections.eventdata import REQUEST_KEY, request_id_of

__all__ = ["REQUEST_KEY", "current_request_id", "request_id_of"]

#: The id of the HTTP request being answered in this context, if any.
current_request_id: ContextVar[str | None] = ContextVar("loften_request_id", default=None)
