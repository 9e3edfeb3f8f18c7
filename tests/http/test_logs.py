"""Structured logs: JSON lines with the trace id; no API key or card number ever in them."""

import json
import logging
from pathlib import Path

import httpx

from orderyard.app import SHIPEDGE_ROOT
from orderyard.http.logs import JsonFormatter, PathWithoutQuery, redact
from orderyard.services.account import NewAccount
from tests.dialects.shipedge.conftest import order_body
from tests.http.servers import serving

CARD = "4111111111111111"
"""A test card number (Luhn-valid), which the edge refuses."""


def record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    """A log record as a logger would make it."""
    made = logging.makeLogRecord({"name": "orderyard.test", "levelname": "INFO", **extra})
    made.msg, made.args = message, args
    return made


def test_a_record_is_one_json_object_with_its_trace_id_and_extras() -> None:
    line = JsonFormatter().format(record("placed %s", "A-1", trace_id="ab" * 16, order_id=7))

    entry = json.loads(line)
    assert entry["level"] == "INFO"
    assert entry["logger"] == "orderyard.test"
    assert entry["message"] == "placed A-1"
    assert entry["trace_id"] == "ab" * 16
    assert entry["order_id"] == 7
    assert entry["time"].endswith("+00:00")


def test_card_like_numbers_are_masked_and_other_numbers_kept() -> None:
    spaced = "4111 1111 1111 1111"

    assert redact(f"paid with {CARD} and {spaced}") == "paid with [redacted] and [redacted]"
    assert redact("order 4111111111111112 of 12 lines") == "order 4111111111111112 of 12 lines"


def test_the_access_log_path_loses_its_query_string() -> None:
    access = record(
        '%s - "%s %s HTTP/%s" %d',
        "127.0.0.1:5000",
        "GET",
        "/v1/inventorylocations?subscription-key=secret",
        "1.1",
        200,
    )

    assert PathWithoutQuery().filter(access) is True
    assert access.getMessage() == '127.0.0.1:5000 - "GET /v1/inventorylocations HTTP/1.1" 200'


async def test_a_served_process_logs_json_lines_without_keys_or_card_numbers(
    db_url: str, account: NewAccount, tmp_path: Path
) -> None:
    key = account.key
    with serving(tmp_path, db_url, {}) as served:
        async with httpx.AsyncClient(base_url=served.origin, timeout=10) as http:
            by_query = await http.get(f"/v1/inventorylocations?subscription-key={key}")
            by_header = await http.get(
                f"{SHIPEDGE_ROOT}/orders",
                headers={"AccountID": str(account.account_id), "Key": key},
            )
            card_body = await http.post(
                f"{SHIPEDGE_ROOT}/orders",
                headers={"AccountID": str(account.account_id), "Key": key},
                json={"data": [order_body("C-1", note=f"card {CARD}")]},
            )
            card_query = await http.get(
                f"/v1/inventorylocations?subscription-key={key}&cardNumber={CARD}"
            )
    answers = [by_query, by_header, card_body, card_query]
    log = served.log.read_text()
    entries = [json.loads(line) for line in log.splitlines()]

    assert [a.status_code for a in answers] == [200, 200, 400, 400]
    access = [
        e for e in entries if e["logger"] == "uvicorn.access" and "/healthz" not in e["message"]
    ]
    assert [e["trace_id"] for e in access] == [a.headers["X-Trace-Id"] for a in answers]
    assert access[0]["message"].endswith('"GET /v1/inventorylocations HTTP/1.1" 200')
    assert key not in log
    assert CARD not in log
    assert "4111 1111" not in log
