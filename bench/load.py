"""A thin wrapper around wrk: one bounded load run, and its throughput, latency and errors.

The request is described in Python and turned into a generated Lua script. A body may contain
``ORDER_NUMBER``; each request then gets a number that is unique across wrk's threads and across
runs (``<run prefix>-<thread>-<counter>``). A header whose whole value is ``ORDER_NUMBER`` (an
``Idempotency-Key``) gets the same number as the body, so every request has a fresh key. The
script's ``done`` hook prints one machine-readable line, so nothing depends on the layout of
wrk's human report (which is kept in the raw log).
"""

import secrets
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ORDER_NUMBER = "${order_number}"
"""Placeholder in a body template, replaced by a unique order number in every request."""

RESULT_MARKER = "BENCH_RESULT"
WRK_TIMEOUT = "30s"
"""Longer than any expected response, so slow answers count in the latency, not as timeouts."""

_DONE_HOOK = f"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("{RESULT_MARKER} %d %d %d %d %d %d %d %d %d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
end
"""

_UNIQUE_BODY = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_no", threads)
end
local counter = 0
function request()
  counter = counter + 1
  local number = run .. "-" .. thread_no .. "-" .. counter
  for _, name in ipairs(numbered_headers) do
    wrk.headers[name] = number
  end
  return wrk.format(nil, nil, nil, head .. number .. tail)
end
"""


@dataclass(frozen=True)
class Request:
    """One HTTP request, repeated by every connection of a load run."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: str | None = None


@dataclass(frozen=True)
class LoadResult:
    """What one load run measured."""

    requests: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    """Responses with a status of 400 or more (wrk counts 3xx as success)."""
    socket_errors: int
    """Connect, read and write errors and timeouts."""

    @property
    def failed(self) -> bool:
        """Whether any request failed; such a run must not be read as a clean figure."""
        return self.non_2xx > 0 or self.socket_errors > 0


def ensure_wrk() -> str:
    """Return the path of wrk, installing Debian's package first if it is missing.

    Raises:
        RuntimeError: wrk is missing and apt-get could not install it.
    """
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing it with apt-get", flush=True)
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        if subprocess.run(command, check=False).returncode != 0:
            raise RuntimeError("could not install wrk; run: apt-get update && apt-get install wrk")
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is still not on PATH after apt-get install wrk")
    return found


def lua_string(text: str) -> str:
    """Quote ``text`` as a Lua 5.1 string literal (bytes outside printable ASCII as ``\\ddd``)."""
    out = []
    for byte in text.encode():
        char = chr(byte)
        if char in '"\\' or not 32 <= byte < 127:
            out.append(f"\\{byte:03d}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def lua_script(request: Request) -> str:
    """Build the wrk script that sends ``request`` and reports its figures on one line."""
    lines = [f"wrk.method = {lua_string(request.method)}"]
    numbered = [k for k, v in request.headers.items() if v == ORDER_NUMBER]
    lines += [
        f"wrk.headers[{lua_string(k)}] = {lua_string(v)}"
        for k, v in request.headers.items()
        if v != ORDER_NUMBER
    ]
    body = request.body
    if numbered and (body is None or ORDER_NUMBER not in body):
        raise ValueError("a numbered header needs a body holding the order number placeholder")
    if body is not None and ORDER_NUMBER in body:
        head, tail = body.split(ORDER_NUMBER, 1)
        if ORDER_NUMBER in tail:
            raise ValueError("a body template may hold the order number placeholder only once")
        lines += [
            f"head, tail = {lua_string(head)}, {lua_string(tail)}",
            # Ends in a letter: a hex run of digits followed by "-1-1882" read as one
            # 13-digit group that may pass Luhn, and the edge refused it as a card number.
            f"run = {lua_string('wrk' + secrets.token_hex(4) + 'x')}",
            "numbered_headers = {" + ", ".join(lua_string(k) for k in numbered) + "}",
            _UNIQUE_BODY,
        ]
    elif body is not None:
        lines.append(f"wrk.body = {lua_string(body)}")
    return "\n".join(lines) + _DONE_HOOK


def wrk_command(
    wrk: str, script: Path, url: str, *, connections: int, duration_s: int
) -> list[str]:
    """Return the wrk command line: two threads, or one for a single connection."""
    threads = min(2, connections)
    return [
        wrk,
        "--latency",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration_s}s",
        f"--timeout={WRK_TIMEOUT}",
        "-s",
        str(script),
        url,
    ]


def parse_result(output: str) -> LoadResult:
    """Read the figures that the script's ``done`` hook printed.

    Raises:
        RuntimeError: the output has no result line (wrk failed before the end of the run).
    """
    for line in output.splitlines():
        if line.startswith(RESULT_MARKER):
            fields = [int(x) for x in line.split()[1:]]
            requests, duration_us, p50_us, p99_us, status, *sockets = fields
            return LoadResult(
                requests=requests,
                requests_per_s=requests / (duration_us / 1e6),
                p50_ms=p50_us / 1000,
                p99_ms=p99_us / 1000,
                non_2xx=status,
                socket_errors=sum(sockets),
            )
    raise RuntimeError(f"wrk printed no {RESULT_MARKER} line:\n{output}")


def run_load(
    request: Request, *, connections: int, duration_s: int, wrk: str, log: Path
) -> LoadResult:
    """Run wrk against ``request`` for ``duration_s`` seconds with ``connections`` connections.

    Args:
        request: The request every connection repeats.
        connections: Concurrent connections (the concurrency of the run).
        duration_s: How long the run lasts.
        wrk: Path of the wrk binary.
        log: Where wrk's own report goes; the generated script is written beside it.

    Raises:
        RuntimeError: wrk exited with an error or printed no result.
    """
    script = log.with_suffix(".lua")
    script.write_text(lua_script(request))
    command = wrk_command(wrk, script, request.url, connections=connections, duration_s=duration_s)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    log.write_text(" ".join(command) + "\n\n" + done.stdout + done.stderr)
    if done.returncode != 0:
        raise RuntimeError(f"wrk exited with {done.returncode}: {done.stderr.strip()}")
    return parse_result(done.stdout)
