"""Settings for a long-running server process, applied once the app is built."""
from __future__ import annotations

import gc

# Objects allocated, less those freed, before the youngest generation is collected
# (Python's default is 700). A live board change leaves a few dozen objects in reference
# cycles; a larger threshold means fewer collections, and so ten times fewer full ones.
YOUNG_COLLECTION_THRESHOLD = 7000


def settle_garbage_collector() -> None:
    """Keep the collector from pausing every live board on the worker for long.

    A full collection walks every tracked object in the process. With hundreds of people
    connected one took 70-180 ms on a 2-core machine, and under gevent the whole worker
    waits. The modules, templates and app built at start-up live as long as the process,
    so freezing them takes them out of every later collection.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])
