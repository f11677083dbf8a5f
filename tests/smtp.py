"""Real SMTP counterparts for mail tests: an aiosmtpd server that keeps what it receives, and a
server that accepts TCP connections but never says a word (the hung relay of a bad day)."""

from __future__ import annotations

import asyncio
import atexit
import email
import email.policy
import socket
import threading
from collections.abc import Awaitable

from aiosmtpd.controller import Controller


class _Refusing:
    """A local port held bound and never listened on: connecting to it is refused (RST), and no other
    server, in this process or another pytest-xdist worker, can take it while this process lives."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.port: int = self.socket.getsockname()[1]


_REFUSING = _Refusing()
atexit.register(_REFUSING.socket.close)


def refused_url() -> str:
    """An SMTP URL where nothing listens: every connection is refused (an SMTP server that is down)."""
    return f"smtp://127.0.0.1:{_REFUSING.port}"


class Inbox:
    """An aiosmtpd handler that keeps every delivered message."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(e.original_content, policy=email.policy.default) for e in self.envelopes]

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(e.original_content, policy=email.policy.default)
            for e in self.envelopes
            if address in e.rcpt_tos
        ]


class _AnyPortController(Controller):
    """aiosmtpd's controller on a port the system picks when it binds (port 0), so no other test can
    take the port between choosing and binding it; `port` is the one it got, set before start() returns."""

    def __init__(self, handler: object, **kwargs: object) -> None:
        super().__init__(handler, hostname="127.0.0.1", port=0, **kwargs)

    async def _bind(self) -> asyncio.AbstractServer:
        server = await super()._create_server()
        self.port = server.sockets[0].getsockname()[1]  # read by _trigger_server and by the tests
        return server

    def _create_server(self) -> Awaitable[asyncio.AbstractServer]:
        return self._bind()


class SmtpServer:
    """A real SMTP server on a free local port, for the duration of a test (`port` is known once started)."""

    def __init__(self, handler: object | None = None, **kwargs: object) -> None:
        self.inbox = handler or Inbox()
        self.controller = _AnyPortController(self.inbox, **kwargs)

    @property
    def port(self) -> int:
        if not self.controller.port:
            raise RuntimeError("the SMTP server has no port until it is started")
        return self.controller.port

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


class HangingSmtpServer:
    """Accepts every connection and never answers: an SMTP client waits for the greeting until it times out."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:  # the listener was closed: the test is over
                return
            self.connections.append(conn)  # held open, never read from, never written to

    def __enter__(self) -> HangingSmtpServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() waiting in the thread (Linux)
        except OSError:
            pass
        self.listener.close()
        for conn in self.connections:
            conn.close()
        self._thread.join(timeout=5)
