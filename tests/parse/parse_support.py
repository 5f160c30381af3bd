"""Helpers shared by the parser tests (imported as `parse_support`, like demo_support)."""

from __future__ import annotations

import socket
from dataclasses import dataclass


@dataclass
class Listener:
    """A listening loopback socket nobody accepts on: a connection attempt stays in its backlog."""

    sock: socket.socket

    @property
    def url(self) -> str:
        host, port = self.sock.getsockname()
        return f"http://{host}:{port}"

    def was_contacted(self) -> bool:
        self.sock.setblocking(False)
        try:
            conn, _ = self.sock.accept()
        except BlockingIOError:
            return False
        conn.close()
        return True
