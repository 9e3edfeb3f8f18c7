"""Structured logs: one JSON object per line, with the request's trace id.

``orderyard serve`` hands ``logging_config()`` to uvicorn, so the server's own lines, its
access log and Orderyard's loggers all come out as
``{"time", "level", "logger", "message", "trace_id", ...}`` on standard error.

What must never reach a log, and how it is kept out:

- **API keys** travel in headers (never logged) or in OrderDynamics' ``subscription-key``
  query parameter: the access log writes the path without its query string
  (``PathWithoutQuery``).
- **Card numbers** are refused at the edge before any route sees one (``http/guard.py``),
  and request bodies are never logged; as a last line, ``JsonFormatter`` masks any card
  number (``domain.card_numbers``) in a message or a traceback.
- **Passwords** come in bodies only (staff sign-in), never logged.

The formatter costs about as much as uvicorn's own text formatter plus ``json.dumps``.
"""

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from orderyard.domain.card_numbers import CARD_RUN, looks_like_card_number
from orderyard.http.trace import TraceIdFilter

MASK = "[redacted]"
CARD_CANDIDATE = re.compile(CARD_RUN)
"""A run of digits as long as a card number (the domain's rule decides)."""
STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {
    "message",
    "asctime",
    "trace_id",
    "color_message",  # uvicorn's copy of the message with terminal colours
}
"""The attributes every record has; others were passed with ``extra=`` and are kept."""


def redact(text: str) -> str:
    """``text`` with every card-like number masked."""
    return CARD_CANDIDATE.sub(_mask, text) if CARD_CANDIDATE.search(text) else text


def _mask(match: re.Match[str]) -> str:
    return MASK if looks_like_card_number(match.group()) else match.group()


class JsonFormatter(logging.Formatter):
    """One JSON object per record, trace id included (``TraceIdFilter`` sets it)."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a line of JSON, card-like numbers masked."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "trace_id": getattr(record, "trace_id", "-"),
        }
        for name, value in record.__dict__.items():
            if name not in STANDARD:
                entry[name] = value if isinstance(value, int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class PathWithoutQuery(logging.Filter):
    """Drops the query string from uvicorn's access lines (it may carry an API key)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's path argument; never drops the record."""
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], args[2].partition("?")[0], args[3], args[4])
        return True


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """The ``logging.config.dictConfig`` of a server process (uvicorn's ``log_config``)."""
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "json",
        "filters": ["trace_id"],
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "trace_id": {"()": TraceIdFilter},
            "no_query": {"()": PathWithoutQuery},
        },
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "default": handler,
            "access": {**handler, "filters": ["trace_id", "no_query"]},
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["access"], "level": level, "propagate": False},
            "orderyard": {"handlers": ["default"], "level": level, "propagate": False},
        },
        "root": {"handlers": ["default"], "level": "WARNING"},
    }
