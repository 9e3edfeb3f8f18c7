"""A session's CSRF token: per session, and never mistaken for a card number by the edge."""

import re
import secrets

from orderyard.console.session import csrf_of
from orderyard.domain.card_numbers import looks_like_card_number
from orderyard.http.guard import CARD_CANDIDATE


def test_a_csrf_token_is_url_safe_base64_of_the_sessions_hmac() -> None:
    token = csrf_of("a session token")

    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    assert token == csrf_of("a session token")
    assert token != csrf_of("another session token")


def test_no_csrf_token_looks_like_a_card_number_to_the_edge_guard() -> None:
    tokens = [csrf_of(secrets.token_urlsafe(32)) for _ in range(20_000)]

    suspects = [
        token
        for token in tokens
        for run in CARD_CANDIDATE.finditer(token.encode())
        if looks_like_card_number(run.group().decode())
    ]

    assert suspects == []  # a hex digest had about one session in 200 refused
