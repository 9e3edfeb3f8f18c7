"""Blob storage: bytes kept under a key, outside the database.

``BlobStore`` is all the core asks of a store (put, read back in chunks, delete); the
default is ``DirectoryStore``, one file per key under a directory. An object store (S3,
GCS, Azure Blob) plugs in as another class with these three methods, whose keys become
object names (docs/decisions.md, "Files outside the database").
"""

import asyncio
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Final, Protocol

DEFAULT_MAX_FILE_BYTES: Final = 5 * 1024 * 1024
"""5 MiB: the largest image or attachment accepted by default."""
DEFAULT_DIRECTORY: Final = "orderyard-files"
"""Next to the default SQLite database (``./orderyard.db``): relative to the working directory."""
CHUNK_BYTES: Final = 64 * 1024
"""How much of a file is read at a time when it is served."""
KEY = re.compile(r"[A-Za-z0-9_-]{1,64}(?:/[A-Za-z0-9_-]{1,64}){0,7}")
"""Keys are made by the services: path segments of safe characters, never ``..``."""


class BlobStore(Protocol):
    """Where uploaded files live."""

    async def put(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key`` (a new key: the services never overwrite)."""

    def chunks(self, key: str) -> AsyncIterator[bytes]:
        """The bytes kept under ``key``, in order (FileNotFoundError if there are none)."""

    async def delete(self, key: str) -> None:
        """Forget ``key`` and its bytes; a missing key is not an error."""


class DirectoryStore:
    """One file per key under ``root`` (created on first use).

    A file is written to a temporary name and renamed, so that a reader never sees half of
    one; the blocking calls run in a worker thread.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        """The file of ``key``.

        Raises:
            ValueError: not a key the services make.
        """
        if not KEY.fullmatch(key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root / key

    async def put(self, key: str, data: bytes) -> None:
        """Write ``data`` to the key's file."""
        await asyncio.to_thread(self._write, self.path(key), data)

    async def chunks(self, key: str) -> AsyncIterator[bytes]:
        """The key's file, ``CHUNK_BYTES`` at a time."""
        handle = await asyncio.to_thread(self.path(key).open, "rb")
        try:
            while chunk := await asyncio.to_thread(handle.read, CHUNK_BYTES):
                yield chunk
        finally:
            handle.close()

    async def delete(self, key: str) -> None:
        """Remove the key's file if it is there."""
        await asyncio.to_thread(self.path(key).unlink, missing_ok=True)

    def keys(self) -> list[str]:
        """Every key held, sorted (for checks and tests: nothing is left behind)."""
        if not self.root.exists():
            return []
        found = (p for p in self.root.rglob("*") if p.is_file() and not p.name.endswith(".tmp"))
        return sorted(p.relative_to(self.root).as_posix() for p in found)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
