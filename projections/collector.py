"""The cyclic garbage collector paused for a rebuild's length."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_collector() -> Iterator[None]:
    """Pause the cyclic garbage collector for a rebuild, then let it run again.

    A rebuild keeps a page of thousands of events and rows in hand, so the collector,
    started by every few hundred new objects, walks them again and again: a sixth of a
    rebuild's time. The views' work makes no reference cycles to collect (its objects go
    when their count drops), and a collection runs as the pause ends.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()
