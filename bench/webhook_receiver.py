"""A webhook endpoint for the benchmark: accepts every post with 200, counts them.

Runs in the bench process on a thread (``ThreadingHTTPServer``), so that the server under load
delivers to a real endpoint on this machine, as a subscribed ERP would receive them.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Accept(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep the sender's connections open, as a real endpoint

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        RECEIVED.add()
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the load makes thousands of posts."""


class _Counter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0

    def add(self) -> None:
        with self._lock:
            self.count += 1


RECEIVED = _Counter()
_server: ThreadingHTTPServer | None = None


def url() -> str:
    """The endpoint's URL, starting it on a free port the first time."""
    global _server
    if _server is None:
        _server = ThreadingHTTPServer(("127.0.0.1", 0), _Accept)
        threading.Thread(target=_server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{_server.server_address[1]}/hooks"
