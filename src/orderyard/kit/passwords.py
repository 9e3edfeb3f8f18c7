"""Staff passwords: argon2id, a slow hash, because people choose guessable passwords.

API keys and staff tokens are random (256 bits) and take a fast digest instead
(``kit.secrets``); a password is checked only when a staff member asks for a token.
"""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
"""argon2-cffi's defaults (RFC 9106's low-memory profile: 64 MiB, 3 passes)."""


def hash_password(password: str) -> str:
    """The stored form of a password (algorithm, parameters, salt and hash in one string)."""
    return _HASHER.hash(password)


def password_matches(stored: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from."""
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
