"""Several Orderyard nodes behind haproxy, on the test's PostgreSQL database.

``balanced`` starts ``NODES`` ``orderyard serve`` processes on free ports, each running its
job and webhook worker in the process (``ORDERYARD_WORKER_IN_SERVER``) with short leases, and
haproxy in front of them on a free port (``tests/scale/haproxy.py``); it stops them all at
the end, also when the test fails. A node killed with ``kill -9`` is the test's to kill.
"""

import contextlib
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.http.servers import ServerProcess, free_port
from tests.scale import tools
from tests.scale.haproxy import Haproxy, HaproxyStartError, Node

NODES = 3
NODE_SETTINGS = {
    "ORDERYARD_WORKER_IN_SERVER": "true",
    "ORDERYARD_JOB_LEASE_SECONDS": "2",
    "ORDERYARD_JOB_POLL_SECONDS": "0.2",
    "ORDERYARD_DATABASE__POOL_SIZE": "4",
    "ORDERYARD_RATE_LIMIT__ENABLED": "false",
}
"""A dead node's job is taken over 2 s after its last operation, its webhook deliveries 15 s
after their claim (``webhook_delivery.lease_like_jobs``); an idle worker polls 5 times a
second. Four connections a node: three nodes stay far below the shared server's 100. The
rate limits are per process without Redis, and the load is one account's."""
START_TIMEOUT = 60.0
"""Three nodes import the whole app side by side on a 2-core machine."""


@dataclass(frozen=True)
class Cluster:
    """The running nodes, and haproxy in front of them."""

    origin: str
    """haproxy's address: where clients send their requests."""
    nodes: tuple[ServerProcess, ...]
    haproxy: Haproxy

    def name_of(self, node: ServerProcess) -> str:
        """The node's name in haproxy's statistics."""
        return f"node{self.nodes.index(node) + 1}"

    def statuses(self) -> dict[str, str]:
        """Each node's status as haproxy sees it (``UP``, ``DOWN``, ...), by name."""
        return self.haproxy.statuses()

    def nodes_connected_from(self, ports: set[int]) -> list[ServerProcess]:
        """The nodes owning a TCP connection from one of ``ports`` (of this machine)."""
        owners = local_ports()
        return [node for node in self.nodes if ports & owners.get(node.pid, set())]

    def wait_until_down(self, node: ServerProcess, *, timeout: float = 10.0) -> float:
        """Seconds until haproxy marks ``node`` DOWN.

        Raises:
            AssertionError: it is still not DOWN after ``timeout`` seconds.
        """
        started = time.monotonic()
        name = self.name_of(node)
        while (status := self.statuses()[name]) != "DOWN":
            assert time.monotonic() - started < timeout, f"{name} still {status}"
            time.sleep(0.02)
        return time.monotonic() - started


@contextlib.contextmanager
def balanced(
    program: Path,
    db_url: str,
    workdir: Path,
    *,
    nodes: int = NODES,
    settings: Mapping[str, str] | None = None,
) -> Iterator[Cluster]:
    """``nodes`` Orderyard servers on ``db_url`` behind haproxy (``program``), all stopped after.

    A haproxy that cannot start fails the test (``tools.unavailable``), never skips it.
    """
    chosen = {**NODE_SETTINGS, **(settings or {})}
    servers = tuple(
        ServerProcess(db_url, workdir, chosen, start_timeout=START_TIMEOUT) for _ in range(nodes)
    )
    names = [Node(f"node{n + 1}", f"127.0.0.1:{s.port}") for n, s in enumerate(servers)]
    haproxy = Haproxy(program, workdir, names, port=free_port())
    try:
        for server in servers:
            server.launch()
        for server in servers:
            server.wait_until_serving()
        try:
            haproxy.start()
        except HaproxyStartError as why:
            tools.unavailable(str(why))
        yield Cluster(haproxy.origin, servers, haproxy)
    finally:
        haproxy.stop()
        for server in servers:
            server.stop()


def local_ports() -> dict[int, set[int]]:
    """The local ports of each process's IPv4 TCP sockets, from ``/proc`` (Linux).

    How a test tells which node a connection it received came from: the receiver sees the
    sender's port, the kernel knows whose socket holds it.
    """
    owners: dict[int, set[int]] = {}
    for pid, (_, port, _) in _sockets():
        owners.setdefault(pid, set()).add(port)
    return owners


def accepted_connections(node: ServerProcess) -> set[str]:
    """The node's open connections on its own port (their inodes): requests it is serving.

    haproxy opens one per request (``option http-server-close``), so a connection seen twice
    some time apart is a request in flight there all along.
    """
    return {
        inode
        for pid, (inode, port, state) in _sockets()
        if pid == node.pid and port == node.port and state == ESTABLISHED
    }


ESTABLISHED = "01"
"""The state column of ``/proc/net/tcp``."""


def _sockets() -> Iterator[tuple[int, tuple[str, int, str]]]:
    """(pid, (inode, local port, state)) of every IPv4 TCP socket this user may see."""
    table: dict[str, tuple[int, str]] = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        table[fields[9]] = (int(fields[1].rsplit(":", 1)[1], 16), fields[3])
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        with contextlib.suppress(OSError):
            for fd in fd_dir.iterdir():
                inode = os.readlink(fd).removeprefix("socket:[").removesuffix("]")
                if inode in table:
                    port, state = table[inode]
                    yield int(fd_dir.parent.name), (inode, port, state)
