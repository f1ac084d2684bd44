"""What the serve tests share besides fixtures: the token, a hostile article, copying a corpus,
and a real server on a free loopback port."""
from __future__ import annotations

import io
import json
import socket
import sqlite3
import threading
import time

import uvicorn

TOKEN = "test-token-7f3a"
PAYLOAD = '<script>alert("xss")</script>'
HOSTILE = {
    "id": "hostile",
    "url": 'javascript:alert("url")//<script>alert(1)</script>',
    "title": f'Pier vote {PAYLOAD} "><img src=x onerror=alert("title")>',
    "outlet": '"><svg onload=alert("outlet")> Gazette',
    "date": "2026-06-01",
    "text": (
        f"The harbour board met on Thursday {PAYLOAD}. "
        '"We will rebuild the <script>alert("quote")</script> pier <img src=x onerror=alert(2)>," '
        "said Elsa Marwood, who chairs the board. "
        "She said that javascript:alert(3) and <a href=\"javascript:alert(4)\">this link</a> "
        "were never part of the plan.\n\n"
        '"Nobody <b onmouseover=alert(5)>bold</b> will stop the pier," Marwood added.'
    ),
}


def copy_db(source: str, target: str) -> str:
    """A consistent copy of a SQLite corpus (SQLite's backup API, WAL included)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def jsonl(records) -> io.BytesIO:
    """Records as a JSONL stream, as ingest reads stdin."""
    return io.BytesIO("".join(json.dumps(r) + "\n" for r in records).encode())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving an app on a free loopback port, in a thread, until ``stop``."""

    def __init__(self, app) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
