"""Run schemathesis over one operation and collect every distinct failure instead of the first.

schemathesis's pytest integration stops an operation at its first failing case and then
shrinks it, sending an unpredictable number of further requests. Here every case of the
bounded, seeded run is sent and checked; failures are grouped by what went wrong (the
check, the status and, for a server error, the exception the server logged), so one run
lists everything to fix and sends the same requests every time.
"""

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from schemathesis import Case
from schemathesis.checks import load_all_checks, not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup, ServerError
from schemathesis.core.transport import Response
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.openapi.checks import UndefinedStatusCode
from schemathesis.pytest._test_builder import build_operation_test
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from urllib3.util.wait import wait_for_read

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
"""What the issue's proof asks: no server error, only documented statuses, content types,
headers and bodies."""
REQUEST_TIMEOUT = 30.0
CLOSE_GRACE = 0.05
"""How long to wait, after a server error, for the server to drop the connection (if it does)."""
SERVER_IDLE_TIMEOUT = 5.0
"""uvicorn closes a keep-alive connection idle this long (its ``timeout_keep_alive`` default,
which ``orderyard serve`` keeps). An exchange that took longer may find its connection closed
by that timer, a stall of the shared machine rather than a defect (one CI run met it once in
40,000 requests), so such a close is not counted."""
TRACEBACK = "Traceback (most recent call last):"
SHOWN = 600
"""Characters of a reproducing curl command shown in a test's failure (the report file has all)."""
DETAIL_LINES = 6


@dataclass
class Totals:
    """The whole run's counts, printed at the end of the session."""

    operations: int = 0
    requests: int = 0
    seconds: float = 0.0
    failures: int = 0
    reports: list[str] = field(default_factory=list)
    """Each failing operation's full report (every curl command whole)."""
    report_file: Path | None = None


@dataclass
class Finding:
    """One distinct failure of an operation, with the smallest case that showed it."""

    kind: str
    status: int | None
    cause: str
    detail: str
    reproduce: str
    times: int = 1

    def describe(self, limit: int | None = SHOWN) -> str:
        """A paragraph of the failure report (``limit``: characters of the curl command)."""
        status = "no response" if self.status is None else str(self.status)
        detail = "\n".join(self.detail.strip().splitlines()[:DETAIL_LINES])
        reproduce = self.reproduce
        if limit is not None and len(reproduce) > limit:
            reproduce = f"{reproduce[:limit]}… ({len(reproduce)} characters)"
        return (
            f"  [{self.kind}] {status}: {self.cause} (x{self.times})\n"
            + "".join(f"      {line}\n" for line in detail.splitlines())
            + f"      {reproduce}"
        )


@dataclass
class ServerLog:
    """The server's output file, read to name the exception behind a server error."""

    path: Path

    def offset(self) -> int:
        """Where the next request's output will start."""
        return self.path.stat().st_size

    def exception_since(self, offset: int, wait: float = 0.5) -> str:
        """The exception the server logged after ``offset`` (it may log just after answering)."""
        deadline = time.monotonic() + wait
        while True:
            with self.path.open("rb") as log:
                log.seek(offset)
                text = log.read().decode("utf-8", "replace")
            summary = summarize_traceback(readable(text))
            if summary or time.monotonic() >= deadline:
                return summary or "no traceback in the server log"
            time.sleep(0.02)


def readable(text: str) -> str:
    """The log as plain text: a JSON line (``orderyard serve``'s format, ``http/logs.py``) as
    its message and, on the following lines, its traceback."""
    lines = []
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            entry = None
        if not isinstance(entry, dict):
            lines.append(line)
            continue
        lines.append(str(entry.get("message", "")))
        if entry.get("exception"):
            lines.append(str(entry["exception"]))
    return "\n".join(lines)


def summarize_traceback(text: str) -> str:
    """``Exception: message (at orderyard/file.py:line in function)`` of the last traceback."""
    start = text.rfind(TRACEBACK)
    if start < 0:
        return ""
    lines = text[start:].splitlines()[1:]
    frames = [line for line in lines if line.startswith("  File ")]
    ours = [f for f in frames if "/orderyard/" in f and "/site-packages/" not in f]
    exception = next((line for line in lines if line and not line.startswith(" ")), "")
    if not exception:
        return ""
    where = ""
    if ours:
        match = re.match(r'  File ".*/(orderyard/[^"]+)", line (\d+), in (\S+)', ours[-1])
        if match:
            where = f" (at {match[1]}:{match[2]} in {match[3]})"
    return f"{exception[:300]}{where}"


def _normalized(text: str) -> str:
    """The text with numbers and quoted values blurred, so one cause groups as one."""
    return re.sub(r"\d+", "N", re.sub(r"'[^']*'", "'…'", text))


@dataclass
class OperationRun:
    """Every case of one operation sent on the shared session, its failures grouped."""

    operation: APIOperation[Any, Any, Any, Any]
    session: requests.Session
    headers: dict[str, str]
    log: ServerLog
    totals: Totals
    findings: dict[tuple[str, ...], Finding] = field(default_factory=dict)
    sent: int = 0

    def run(self) -> None:
        """Run the examples, coverage and fuzzing phases for the operation; never raise."""
        load_all_checks()
        test = build_operation_test(
            config=self.operation.schema.config,
            operation=self.operation,
            test_func=self.check,
            given_kwargs={},
            feedback=FeedbackSources(),
        )
        started = time.monotonic()
        test()
        self.totals.operations += 1
        self.totals.requests += self.sent
        self.totals.seconds += time.monotonic() - started
        self.totals.failures += len(self.findings)
        if self.findings:
            self.totals.reports.append(self.report(limit=None))

    def check(self, case: Case[Any]) -> None:
        """Send one case and record what is wrong with its answer (the Hypothesis test body)."""
        offset = self.log.offset()
        self.sent += 1
        sent_at = time.monotonic()
        try:
            response = case.call(
                session=self.session, headers=self.headers, timeout=REQUEST_TIMEOUT
            )
        except requests.RequestException as exc:
            self._add("transport", None, f"{type(exc).__name__}: {exc}", "", case)
            return
        self._check_connection_kept(response, case, sent_at)  # first: validating takes time
        try:
            case.validate_response(response, checks=CHECKS, headers=self.headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                self._add_failure(failure, response, case, offset)

    def _add_failure(
        self, failure: Failure, response: Response, case: Case[Any], offset: int
    ) -> None:
        status = response.status_code
        if isinstance(failure, UndefinedStatusCode) and status >= 500:
            return  # the server error itself is reported, with its cause
        if isinstance(failure, ServerError):
            cause = self.log.exception_since(offset)
        else:
            cause = f"{failure.title}: {failure._unique_key}".removesuffix(": ")
        self._add(type(failure).__name__, status, cause, failure.message, case)

    def _check_connection_kept(self, response: Response, case: Case[Any], sent_at: float) -> None:
        """A connection the server keeps must still be open once its answer is read."""
        if any(value.lower() == "close" for value in response.headers.get("connection", [])):
            return
        grace = CLOSE_GRACE if response.status_code >= 500 else 0.0
        for connection in _idle_connections(self.session):
            if wait_for_read(connection.sock, timeout=grace):
                connection.close()
                if time.monotonic() - sent_at >= SERVER_IDLE_TIMEOUT:
                    continue  # the server's idle timer may have closed it: not a defect
                self._add(
                    "connection",
                    response.status_code,
                    "the server closed the keep-alive connection without `Connection: close`",
                    f"a client's next request on this connection fails (found closed "
                    f"{time.monotonic() - sent_at:.2f} s after the request was sent)",
                    case,
                )

    def _add(self, kind: str, status: int | None, cause: str, detail: str, case: Case[Any]) -> None:
        key = (kind, str(status), _normalized(cause))
        reproduce = _curl(case, self.headers)
        found = self.findings.get(key)
        if found is None:
            self.findings[key] = Finding(kind, status, cause, detail, reproduce)
            return
        found.times += 1
        if len(reproduce) < len(found.reproduce):
            found.detail, found.reproduce = detail, reproduce

    def report(self, limit: int | None = SHOWN) -> str:
        """Every distinct failure of the operation, most frequent first."""
        ordered = sorted(self.findings.values(), key=lambda f: (-f.times, f.kind, f.cause))
        return (
            f"{self.operation.label}: {len(ordered)} distinct failure(s) in {self.sent} requests\n"
            + "\n".join(f.describe(limit) for f in ordered)
        )


def _idle_connections(session: requests.Session) -> Iterator[Any]:
    """The open connections ``session`` keeps for its next requests (urllib3's pools)."""
    for adapter in session.adapters.values():
        manager: Any = getattr(adapter, "poolmanager", None)
        for key in list(manager.pools.keys()) if manager is not None else ():
            pool = manager.pools.get(key)
            queue = pool.pool.queue if pool is not None and pool.pool is not None else ()
            yield from (c for c in list(queue) if c is not None and c.sock is not None)


def _curl(case: Case[Any], headers: dict[str, str]) -> str:
    try:
        return case.as_curl_command(headers=headers)
    except Exception as exc:  # a report line, whatever went wrong
        return f"(no curl command: {exc})"
