"""The garbage collector paused while an import reads its file.

An import makes millions of small objects (a tuple per row, a visit per person and
site) and frees them itself, without reference cycles; the collector, run every
few hundred of them, finds nothing and costs about a tenth of the import's time,
traversing the casebook's caches (pseudonyms, hosts) at every full pass. Those
caches are frozen out of its sight and collection is paused for the import, then
both are put back as they were, whatever ends the import (an error, a cancel).
Imports in several threads at once share one pause: the last one out restores it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
# What the first import in found: whether collection ran, and whether it froze (nobody had frozen before).
_enabled = True
_froze = False


@contextmanager
def paused() -> Iterator[None]:
    global _holders, _enabled, _froze
    with _lock:
        if _holders == 0:
            _enabled = gc.isenabled()
            _froze = gc.get_freeze_count() == 0
            gc.disable()
            if _froze:
                gc.freeze()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0:
                if _froze:
                    gc.unfreeze()
                if _enabled:
                    gc.enable()
