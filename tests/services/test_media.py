"""Images and notes (services/media.py): files checked, kept, read back; none left on refusal."""

import struct
import zlib
from pathlib import Path

import pytest

from orderyard.domain.customer import Person
from orderyard.domain.errors import ContentTooLargeError, InvalidRequestError, NotFoundError
from orderyard.domain.media import ImageOwner, NoteSort, Upload
from orderyard.domain.values import PageRequest
from orderyard.kit.storage import DirectoryStore
from orderyard.services import account as account_service
from orderyard.services import customer as customer_service
from orderyard.services import media
from orderyard.services.catalog.products import NewProduct, create_product
from orderyard.services.media import Download, Files, ImageIn, NoteIn
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.services.checks import count_rows

LIMIT = 64 * 1024


def png(width: int = 3, height: int = 2, seed: int = 0) -> bytes:
    """A real PNG file (8-bit RGB), different for each seed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    rows = b"".join(
        b"\x00" + bytes((seed + x * 7 + y * 13) % 256 for x in range(width * 3))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )  # fmt: skip


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256))
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00;"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe"


@pytest.fixture
def store(tmp_path: Path) -> DirectoryStore:
    return DirectoryStore(tmp_path / "files")


@pytest.fixture
def files(store: DirectoryStore) -> Files:
    return Files(store, LIMIT)


async def read_all(download: Download) -> bytes:
    return b"".join([chunk async for chunk in download.chunks])


async def written(make: Factory, store: DirectoryStore) -> tuple[int, int, int, int, list[str]]:
    """Rows of images, notes, attachments and events, and the files in the store."""
    counts = [await count_rows(make, t) for t in ("images", "notes", "note_attachments", "events")]
    return counts[0], counts[1], counts[2], counts[3], store.keys()


class FailingStore(DirectoryStore):
    """A store whose second put fails (a full disk), to prove the first file is removed."""

    puts = 0

    async def put(self, key: str, data: bytes) -> None:
        self.puts += 1
        if self.puts == 2:
            raise OSError("no space left on device")
        await super().put(key, data)


class TestImages:
    async def test_images_of_an_item_are_stored_typed_by_their_bytes_and_read_back(
        self, uow: UnitOfWork, read_uow: ReadUnitOfWork, files: Files, make: Factory
    ) -> None:
        await make.item("SKU-1")
        images = [
            ImageIn(Upload("front.png", "image/png", png())),
            ImageIn(Upload("side.jpg", "", JPEG)),
            ImageIn(url="https://cdn.example.com/sku-1/back.webp"),
        ]

        created = await media.create_images(uow, files, (ImageOwner.ITEM, "SKU-1"), images)

        stored = [
            i.file and (i.file.file_name, i.file.content_type, i.file.byte_size) for i in created
        ]
        assert stored == [
            ("front.png", "image/png", len(png())),
            ("side.jpg", "image/jpeg", len(JPEG)),
            None,
        ]
        assert created[2].source_url == "https://cdn.example.com/sku-1/back.webp"
        assert await read_all(await media.image_content(read_uow, files, created[0].id)) == png()
        assert await read_all(await media.image_content(read_uow, files, created[1].id)) == JPEG
        with pytest.raises(NotFoundError):  # a linked image has no bytes here
            await media.image_content(read_uow, files, created[2].id)
        async with make.uow() as check:
            kinds = [await check.events.of("image", image.id) for image in created]
        assert kinds == [[("test", "image_created")]] * 3

    @pytest.mark.parametrize("data", [GIF, WEBP])
    async def test_gif_and_webp_are_recognised(
        self, uow: UnitOfWork, files: Files, make: Factory, data: bytes
    ) -> None:
        await create_product(make.uow(), NewProduct("STYLE-1", "Style one"))

        [image] = await media.create_images(
            uow, files, (ImageOwner.PRODUCT, "STYLE-1"), [ImageIn(Upload("x", "", data))]
        )

        assert image.file is not None
        assert image.file.content_type == ("image/gif" if data == GIF else "image/webp")

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            (Upload("a.png", "image/png", JPEG), "declared image/png but the file is image/jpeg"),
            (Upload("a.txt", "text/plain", b"hello"), "not an image of a known type"),
            (Upload("a.png", "image/png", b""), "is empty"),
            (Upload("a.png", "image png", png()), "'image png' is not a media type"),
        ],
    )
    async def test_a_wrong_type_is_refused_and_nothing_is_written(
        self,
        uow: UnitOfWork,
        files: Files,
        store: DirectoryStore,
        make: Factory,
        upload: Upload,
        message: str,
    ) -> None:
        await make.item("SKU-1")
        before = await written(make, store)
        wanted = [ImageIn(Upload("ok.png", "", png())), ImageIn(upload)]

        with pytest.raises(InvalidRequestError) as refused:
            await media.create_images(uow, files, (ImageOwner.ITEM, "SKU-1"), wanted)

        assert refused.value.message.startswith(message)
        assert refused.value.field == "images[1]"
        assert await written(make, store) == before

    async def test_a_file_past_the_limit_is_refused_and_nothing_is_written(
        self, uow: UnitOfWork, files: Files, store: DirectoryStore, make: Factory
    ) -> None:
        await make.item("SKU-1")
        before = await written(make, store)
        big = png() + bytes(LIMIT)

        with pytest.raises(ContentTooLargeError) as refused:
            await media.create_images(
                uow, files, (ImageOwner.ITEM, "SKU-1"), [ImageIn(Upload("big.png", "", big))]
            )

        assert refused.value.message == f"larger than the limit of {LIMIT} bytes"
        assert await written(make, store) == before

    async def test_an_unknown_or_foreign_owner_is_not_found_and_nothing_is_written(
        self, uow: UnitOfWork, files: Files, store: DirectoryStore, make: Factory, engines: Engines
    ) -> None:
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
        await Factory(engines, other.account_id).item("THEIRS")
        before = await written(make, store)

        for owner in ((ImageOwner.ITEM, "THEIRS"), (ImageOwner.PRODUCT, "NOPE")):
            with pytest.raises(NotFoundError):
                await media.create_images(uow, files, owner, [ImageIn(Upload("a", "", png()))])

        assert await written(make, store) == before

    async def test_a_store_failing_midway_leaves_neither_rows_nor_the_files_put_before(
        self, uow: UnitOfWork, tmp_path: Path, make: Factory
    ) -> None:
        await make.item("SKU-1")
        failing = FailingStore(tmp_path / "failing")
        wanted = [ImageIn(Upload("a", "", png(seed=1))), ImageIn(Upload("b", "", png(seed=2)))]

        with pytest.raises(OSError, match="no space left"):
            await media.create_images(
                uow, Files(failing, LIMIT), (ImageOwner.ITEM, "SKU-1"), wanted
            )

        assert failing.puts == 2
        assert await written(make, failing) == (0, 0, 0, 1, [])  # the item's own event only

    async def test_deleting_an_owners_images_removes_their_rows_and_files_only(
        self, uow: UnitOfWork, files: Files, store: DirectoryStore, make: Factory
    ) -> None:
        await make.item("SKU-1")
        await make.item("SKU-2")
        mine = [ImageIn(Upload("a", "", png(seed=1))), ImageIn(url="https://x.test/a.png")]
        created = await media.create_images(make.uow(), files, (ImageOwner.ITEM, "SKU-1"), mine)
        [kept] = await media.create_images(
            make.uow(), files, (ImageOwner.ITEM, "SKU-2"), [ImageIn(Upload("b", "", png(seed=2)))]
        )

        count = await media.delete_images(uow, files, (ImageOwner.ITEM, "SKU-1"))

        assert count == 2
        assert kept.file is not None
        assert store.keys() == [kept.file.storage_key]
        assert await count_rows(make, "images") == 1
        async with make.uow() as check:
            assert await check.events.of("image", created[0].id) == [
                ("test", "image_created"),
                ("test", "image_deleted"),
            ]
        assert await media.delete_images(make.uow(), files, (ImageOwner.ITEM, "SKU-1")) == 0

    async def test_another_accounts_image_is_not_found(
        self, files: Files, make: Factory, engines: Engines
    ) -> None:
        await make.item("SKU-1")
        [image] = await media.create_images(
            make.uow(), files, (ImageOwner.ITEM, "SKU-1"), [ImageIn(Upload("a", "", png()))]
        )
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

        with pytest.raises(NotFoundError):
            await media.image_content(
                ReadUnitOfWork(engines.read, other.account_id), files, image.id
            )


class TestNotes:
    async def test_a_note_on_an_order_keeps_its_attachments_byte_for_byte(
        self, uow: UnitOfWork, read_uow: ReadUnitOfWork, files: Files, make: Factory
    ) -> None:
        await make.location("DC-1")
        await make.item("SKU-1")
        order = await make.order(("SKU-1", 1))
        pdf = b"%PDF-1.7\n" + bytes(range(256)) * 3
        note = NoteIn(
            "order",
            str(order.order_id),
            "Customer called",
            [Upload("x.pdf", "application/pdf", pdf)],
        )

        created = await media.create_note(uow, files, note)

        assert (created.table_name, created.key_value, created.text, created.actor) == (
            "Order", str(order.order_id), "Customer called", "test",
        )  # fmt: skip
        [attached] = created.attachments
        assert (attached.file.file_name, attached.file.content_type) == ("x.pdf", "application/pdf")
        download = await media.attachment_content(read_uow, files, attached.id)
        assert await read_all(download) == pdf
        async with make.uow() as check:
            assert await check.events.of("note", created.id) == [("test", "note_created")]

    async def test_updating_changes_the_text_and_adds_attachments(
        self, uow: UnitOfWork, files: Files, make: Factory
    ) -> None:
        await make.item("SKU-1")
        first = await media.create_note(make.uow(), files, NoteIn("Item", "SKU-1", "first"))

        updated = await media.update_note(
            uow, files, first.id, ("second", [Upload("a.bin", "", b"\x00\x01\x02")])
        )

        assert updated.text == "second"
        files_now = [
            (a.file.file_name, a.file.content_type, a.file.byte_size) for a in updated.attachments
        ]
        assert files_now == [("a.bin", "application/octet-stream", 3)]
        async with make.uow() as check:
            assert await check.events.of("note", first.id) == [
                ("test", "note_created"),
                ("test", "note_updated"),
            ]

    async def test_notes_of_a_record_sort_and_page(
        self, read_uow: ReadUnitOfWork, files: Files, make: Factory
    ) -> None:
        customer = await customer_service.create_customer(make.uow(), Person(email="ann@shop.test"))
        ids = [
            (await media.create_note(make.uow(), files, NoteIn("Customer", str(customer.id), t))).id
            for t in ("a", "b", "c")
        ]

        page = await media.notes_of(
            read_uow, ("Customer", str(customer.id)), PageRequest(1, 2), (NoteSort.ID, True)
        )

        assert [n.id for n in page.items] == [ids[2], ids[1]]
        assert (page.total, page.total_pages) == (3, 2)

    @pytest.mark.parametrize(
        ("table", "key", "error", "field"),
        [
            ("Invoice", "1", InvalidRequestError, "table_name"),
            ("Order", "abc", InvalidRequestError, "key_value"),
            ("Order", "999", NotFoundError, "key_value"),
            ("Item", "THEIRS", NotFoundError, "key_value"),
        ],
    )
    async def test_an_unknown_table_or_record_is_refused_and_nothing_is_written(
        self,
        uow: UnitOfWork,
        files: Files,
        store: DirectoryStore,
        make: Factory,
        engines: Engines,
        table: str,
        key: str,
        error: type[Exception],
        field: str,
    ) -> None:
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
        await Factory(engines, other.account_id).item("THEIRS")
        before = await written(make, store)
        note = NoteIn(table, key, "text", [Upload("a.txt", "text/plain", b"hello")])

        with pytest.raises(error) as refused:
            await media.create_note(uow, files, note)

        assert getattr(refused.value, "field", None) == field
        assert await written(make, store) == before

    async def test_an_attachment_declared_as_an_image_must_be_one(
        self, uow: UnitOfWork, files: Files, store: DirectoryStore, make: Factory
    ) -> None:
        await make.item("SKU-1")
        before = await written(make, store)
        note = NoteIn("Item", "SKU-1", "text", [Upload("a.png", "image/png", b"not a png")])

        with pytest.raises(InvalidRequestError, match="declared image/png but the file is not"):
            await media.create_note(uow, files, note)

        assert await written(make, store) == before
