"""The board's own figures for Prometheus (prometheus-client), per process.

Counted where they happen: changes by the unit of work (socket and form alike), the
latency of a change event and the refusals by the live-board handlers and the HTTP error
handlers. Open boards and connections are read from this worker's connections when scraped.
Each process counts for itself: scrape every worker (docs/deployment.md).
"""
from __future__ import annotations

from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily

CHANGES = Counter("supervision_board_changes", "Board changes stored and published, by event type", ["type"])
CHANGE_LATENCY = Histogram(
    "supervision_change_latency_seconds",
    "From a live-board change event arriving to its acknowledgement (stored, committed, published)",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0))
REFUSALS = Counter("supervision_refusals", "Requests and live-board events refused, by code", ["code", "via"])
QUEUE_OUTAGES = Counter("supervision_message_queue_outages",
                        "Times this worker found it could not hear the other workers through the message queue")


class BoardCollector:
    """Open boards and connections on this worker, as they are when Prometheus asks."""

    CONNECTIONS = ("supervision_connections", "Live-board connections open on this worker")
    BOARDS = ("supervision_open_boards", "Boards (sessions) with at least one connection on this worker")

    def describe(self):
        """The names alone: registering then does not collect, which would import the live board
        while the app's modules are still being imported."""
        yield GaugeMetricFamily(*self.CONNECTIONS)
        yield GaugeMetricFamily(*self.BOARDS)

    def collect(self):
        from .realtime import connections

        held = connections.snapshot()
        yield GaugeMetricFamily(*self.CONNECTIONS, value=len(held))
        boards = {session_id for connection in held.values() for session_id in connection.boards}
        yield GaugeMetricFamily(*self.BOARDS, value=len(boards))


_collector = BoardCollector()
REGISTRY.register(_collector)


def change_stored(event_type: str) -> None:
    CHANGES.labels(event_type).inc()


def refused(code: str, via: str) -> None:
    REFUSALS.labels(code, via).inc()
