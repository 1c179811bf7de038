"""The Socket.IO packets the board sends: JSON only, so none is searched for binary data."""
from __future__ import annotations

from socketio import packet


class JsonPacket(packet.Packet):
    """Every event and acknowledgement the board sends is JSON (ids, text, rendered HTML).

    python-socketio otherwise walks each packet it sends, and the whole event again in a
    change's acknowledgement, looking for bytes to send as binary attachments: about 30 µs a
    packet for a card's event with its regions. Packets received are decoded as before, binary
    ones included; a handler refuses fields that are not text or numbers.
    """

    uses_binary_events = False
