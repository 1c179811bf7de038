"""Socket.IO: the live board's events (see docs/protocol.md)."""
