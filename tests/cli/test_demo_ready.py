"""``microcred demo`` (``./dev up``) says the demo is ready only once its port answers."""

from __future__ import annotations

import socket
import threading

import pytest

from microcred.cli.server import announce_when_listening, wait_until_listening


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _announcer() -> threading.Thread:
    return next(t for t in threading.enumerate() if t.name == "demo-ready")


def test_a_closed_port_is_not_ready() -> None:
    assert not wait_until_listening("127.0.0.1", _free_port(), timeout=0.3)


def test_ready_is_printed_once_the_port_listens_and_not_before(
    capsys: pytest.CaptureFixture[str],
) -> None:
    port = _free_port()
    announce_when_listening("127.0.0.1", port, "demo is ready", timeout=30)
    announcer = _announcer()
    announcer.join(0.5)  # nothing listens yet: still polling, nothing printed
    assert announcer.is_alive()
    assert capsys.readouterr().out == ""
    with socket.socket() as server:
        server.bind(("127.0.0.1", port))
        server.listen()
        announcer.join(30)
    assert not announcer.is_alive()
    assert capsys.readouterr().out == "demo is ready\n"
