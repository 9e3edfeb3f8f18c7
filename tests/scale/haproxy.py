"""haproxy in front of several Orderyard nodes: its configuration, its process, its view of them.

The configuration is the one docs/scaling.md ("Several nodes behind a balancer") shows and
docs/examples/haproxy.cfg ships; each setting's reason is given there. The balancer test
(``tests/scale/balancer.py``) and the bench (``bench/balancer.py``) both start it from here,
so what is measured is what is tested. Standard library only (and httpx), so that the bench
can import it without the test suite's fixtures.
"""

import contextlib
import csv
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT = 15.0
"""haproxy itself starts in milliseconds; the wait is for its checks to see every node up."""

CONFIGURATION = """\
global
    maxconn 4096
    stats socket {stats} mode 600 level user

defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    timeout http-keep-alive 5s
    timeout queue 5s
    timeout check 2s
    retries 3
    retry-on conn-failure
    option redispatch 1
    option http-server-close

frontend orderyard
    bind {bind}
    default_backend nodes

backend nodes
    balance {balance}
    option httpchk
    http-check send meth GET uri /readyz
    http-check expect status 200
    default-server check inter 200ms fastinter 200ms downinter 1s fall 2 rise 2
{servers}
"""
"""``retry-on conn-failure`` only: a request is retried (on another node, ``redispatch``) only
when it never reached one. A request a node received and then died on is answered 502 and
left to the client, whose retry with the same ``Idempotency-Key`` cannot apply it twice; a
balancer that retried it (``empty-response``, ``response-timeout``, ``all-retryable-errors``)
could place the order twice for a client that sends no key."""


class HaproxyStartError(RuntimeError):
    """haproxy is installed but would not start, or never saw the nodes up."""


@dataclass(frozen=True)
class Node:
    """A server haproxy balances over: its name in haproxy's statistics, and its address."""

    name: str
    address: str
    """``host:port``."""


def configuration(
    nodes: Sequence[Node], *, bind: str, stats: Path, balance: str = "roundrobin"
) -> str:
    """The configuration balancing ``bind`` over ``nodes``, statistics on the ``stats`` socket."""
    servers = "\n".join(f"    server {node.name} {node.address}" for node in nodes)
    return CONFIGURATION.format(stats=stats, bind=bind, balance=balance, servers=servers)


class Haproxy:
    """``haproxy -db -f <cfg>`` in the foreground, on ``port``, over ``nodes``."""

    def __init__(
        self,
        program: Path,
        workdir: Path,
        nodes: Sequence[Node],
        *,
        port: int,
        balance: str = "roundrobin",
    ) -> None:
        self.origin = f"http://127.0.0.1:{port}"
        self.nodes = tuple(nodes)
        self._program = program
        self._stats = workdir / "haproxy.sock"
        self._config = workdir / "haproxy.cfg"
        self._log = workdir / "haproxy.log"
        self._config.write_text(
            configuration(nodes, bind=f"127.0.0.1:{port}", stats=self._stats, balance=balance)
        )
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start haproxy and wait until it sees every node up.

        Raises:
            HaproxyStartError: the configuration was refused, haproxy exited, or a node was
                not seen up within ``START_TIMEOUT``; with haproxy's own output.
        """
        with self._log.open("ab") as sink:
            self._process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
                [str(self._program), "-db", "-f", str(self._config)],
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        try:
            self._wait_until_all_up()
        except BaseException:
            self.stop()
            raise

    def statuses(self) -> dict[str, str]:
        """Each node's status as haproxy's checks see it: ``UP``, ``DOWN``, ``UP 1/2``, ...

        Read from ``show stat`` on the statistics socket, as an operator's monitoring would.
        """
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stats:
            stats.settimeout(2)
            stats.connect(str(self._stats))
            stats.sendall(b"show stat\n")
            answer = b"".join(iter(lambda: stats.recv(65536), b""))
        rows = csv.DictReader(answer.decode().removeprefix("# ").splitlines())
        names = {node.name for node in self.nodes}
        return {row["svname"]: row["status"] for row in rows if row["svname"] in names}

    def stop(self) -> None:
        """Stop at once (SIGTERM: haproxy's hard stop), killed if it lingers."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _wait_until_all_up(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + START_TIMEOUT
        seen: dict[str, str] = {}
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise HaproxyStartError(f"haproxy exited: {self._output()}")
            with contextlib.suppress(OSError):
                seen = self.statuses()
                if len(seen) == len(self.nodes) and set(seen.values()) == {"UP"}:
                    return
            time.sleep(0.05)
        raise HaproxyStartError(f"nodes not up within {START_TIMEOUT} s: {seen}; {self._output()}")

    def _output(self) -> str:
        return self._log.read_text(errors="replace")[-4000:]
