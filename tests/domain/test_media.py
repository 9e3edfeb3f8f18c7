"""What may be uploaded (domain/media.py) and where it is kept (kit/storage.py): no database."""

from pathlib import Path

import pytest

from orderyard.domain.errors import ContentTooLargeError, InvalidRequestError
from orderyard.domain.media import (
    NoteTable,
    Upload,
    attachment_type,
    image_type,
    image_url,
    note_key,
    sniff,
)
from orderyard.kit.storage import DirectoryStore
from tests.services.test_media import GIF, JPEG, WEBP, png


@pytest.mark.parametrize(
    ("data", "kind"),
    [(png(), "image/png"), (JPEG, "image/jpeg"), (GIF, "image/gif"), (WEBP, "image/webp"),
     (b"GIF87a" + bytes(8), "image/gif"), (b"RIFF\x00\x00\x00\x00WAVEfmt ", None),
     (b"%PDF-1.7", None), (b"", None)],
)  # fmt: skip
def test_sniff_names_the_four_image_types_by_their_first_bytes(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


def test_an_image_is_typed_by_its_bytes_and_a_contrary_declaration_is_refused() -> None:
    assert image_type(Upload("a", "IMAGE/PNG; q=1", png()), 1024, "f") == "image/png"
    assert image_type(Upload("a", "application/octet-stream", JPEG), 1024, "f") == "image/jpeg"
    with pytest.raises(InvalidRequestError, match="declared image/gif but the file is image/png"):
        image_type(Upload("a", "image/gif", png()), 1024, "f")
    with pytest.raises(ContentTooLargeError, match="larger than the limit of 10 bytes"):
        image_type(Upload("a", "", png()), 10, "f")


def test_an_attachment_keeps_its_declared_type() -> None:
    assert attachment_type(Upload("a", "text/csv", b"a,b"), 1024, "f") == "text/csv"
    assert attachment_type(Upload("a", "", b"x"), 1024, "f") == "application/octet-stream"
    with pytest.raises(InvalidRequestError, match="is not a media type"):
        attachment_type(Upload("a", "text", b"x"), 1024, "f")
    with pytest.raises(InvalidRequestError, match="is empty"):
        attachment_type(Upload("a", "text/csv", b""), 1024, "f")


@pytest.mark.parametrize("url", ["ftp://x.test/a", "/a.png", "https://", "https://a b/c"])
def test_only_absolute_http_urls_are_recorded(url: str) -> None:
    assert image_url("https://cdn.test/a.png?v=1", "f") == "https://cdn.test/a.png?v=1"
    with pytest.raises(InvalidRequestError):
        image_url(url, "f")


def test_order_and_customer_keys_are_ids_and_the_others_text() -> None:
    assert note_key(NoteTable.ORDER, " 42 ", "f") == 42
    assert note_key(NoteTable.ITEM, "SKU-1", "f") == "SKU-1"
    for bad in ("0", "-1", "²", "9" * 20, ""):
        with pytest.raises(InvalidRequestError):
            note_key(NoteTable.CUSTOMER, bad, "f")


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a/../b", "a//b", "a.b", ""])
def test_the_directory_store_refuses_keys_that_could_leave_its_root(
    tmp_path: Path, key: str
) -> None:
    with pytest.raises(ValueError, match="not a storage key"):
        DirectoryStore(tmp_path).path(key)


async def test_the_directory_store_round_trips_in_chunks_and_deletes(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path / "root")
    data = bytes(range(256)) * 1000

    await store.put("1/images/abc", data)
    read = [chunk async for chunk in store.chunks("1/images/abc")]
    await store.delete("1/images/abc")
    await store.delete("1/images/abc")  # a missing key is not an error

    assert b"".join(read) == data
    assert [len(chunk) for chunk in read] == [65536, 65536, 65536, 59392]
    assert store.keys() == []
