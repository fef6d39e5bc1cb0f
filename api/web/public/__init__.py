"""The public pages: what was promised where, what became of what people said, coverage.

No sign-in. Each page reads the views (never the event store), shows only what the
public API reads show, and links its JSON twin in the API.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.web.public import coverage, dialogue, municipality, promise, start

router = APIRouter(tags=["public pages"])
for module in (start, municipality, promise, dialogue, coverage):
    router.include_router(module.router)
