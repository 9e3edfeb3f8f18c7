"""API keys: generated with the OS random source, stored only as a SHA-256 digest.

Keys carry 256 bits of entropy, so a fast digest is enough (a slow password hash such as
argon2 protects low-entropy human passwords, and would cost every API request ~50 ms).
"""

import hashlib
import secrets


def new_api_key() -> str:
    """Return a fresh URL-safe API key."""
    return secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    """Return the stored digest of an API key."""
    return hashlib.sha256(key.encode()).hexdigest()
