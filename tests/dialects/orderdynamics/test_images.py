"""Images API (``/v1/images``) end to end: upload (base64 JSON, multipart, URL), fetch, delete."""

import base64
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.types import Message

from orderyard.app import create_app
from orderyard.domain.staff import Role
from orderyard.kit.storage import DEFAULT_MAX_FILE_BYTES, DirectoryStore
from orderyard.services import account as account_service
from orderyard.services.account import NewAccount
from orderyard.settings import DatabaseSettings, Settings, StorageSettings
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.dialects.event_walk import expecting_no_event
from tests.dialects.orderdynamics.media_app import BASE, LIMIT, media_client
from tests.dialects.orderdynamics.test_locations import problem
from tests.dialects.orderdynamics.test_staff import as_staff, member, token_for
from tests.factories import Factory
from tests.services.checks import count_rows
from tests.services.test_media import GIF, JPEG, png

IMAGES = "/v1/images"
CONTENT = f"{BASE}/v1/images/Content?ImageId="
WHEN = "2026-12-06T09:00:00Z"


@pytest.fixture
def store(tmp_path: Path) -> DirectoryStore:
    return DirectoryStore(tmp_path / "files")


@pytest.fixture
async def od(
    db_url: str, store: DirectoryStore, account: NewAccount
) -> AsyncIterator[httpx.AsyncClient]:
    async with media_client(db_url, store.root, account.key) as client:
        yield client


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def image_json(data: bytes, name: str = "", content_type: str = "") -> dict[str, Any]:
    return {"FileName": name, "ContentType": content_type, "Base64Content": b64(data)}


async def written(make: Factory, store: DirectoryStore) -> tuple[int, int, list[str]]:
    return await count_rows(make, "images"), await count_rows(make, "events"), store.keys()


class TestCreateImages:
    async def test_base64_images_and_a_url_are_created_and_served_back_byte_for_byte(
        self, od: httpx.AsyncClient, make: Factory, clock: object
    ) -> None:
        await make.item("SKU-1")
        body = {
            "OwnerName": "Item",
            "OwnerID": "SKU-1",
            "Images": [
                image_json(png(), "front.png", "image/png"),
                image_json(JPEG, "side.jpg"),
                {"Url": "https://cdn.example.com/back.webp"},
            ],
        }

        response = await od.post(IMAGES, json=body)

        assert response.status_code == 201, response.text
        assert response.json() == {
            "OwnerName": "Item",
            "OwnerID": "SKU-1",
            "Images": [
                {"ImageId": 1, "FileName": "front.png", "ContentType": "image/png",
                 "Size": len(png()), "Url": f"{CONTENT}1", "IsStored": True,
                 "CreatedDateTimeUtc": WHEN},
                {"ImageId": 2, "FileName": "side.jpg", "ContentType": "image/jpeg",
                 "Size": len(JPEG), "Url": f"{CONTENT}2", "IsStored": True,
                 "CreatedDateTimeUtc": WHEN},
                {"ImageId": 3, "FileName": "", "ContentType": None, "Size": None,
                 "Url": "https://cdn.example.com/back.webp", "IsStored": False,
                 "CreatedDateTimeUtc": WHEN},
            ],
        }  # fmt: skip
        front = await od.get(f"{CONTENT}1")
        assert front.status_code == 200
        assert front.content == png()
        assert front.headers["content-type"] == "image/png"
        assert front.headers["content-length"] == str(len(png()))
        assert front.headers["content-disposition"] == "inline; filename*=UTF-8''front.png"
        assert front.headers["x-content-type-options"] == "nosniff"
        assert (await od.get(f"{CONTENT}2")).content == JPEG
        assert await count_rows(make, "events") == 1 + 3  # the item's, then one per image

    async def test_multipart_images_round_trip_byte_for_byte(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await create_style(od)
        files = [
            ("Images", ("a.png", png(seed=5), "image/png")),
            ("Images", ("b.gif", GIF, "application/octet-stream")),
        ]
        data = {"OwnerName": "product", "OwnerID": "STYLE-1", "Url": "http://x.test/c.png"}

        response = await od.post(IMAGES, files=files, data=data)

        assert response.status_code == 201, response.text
        images = response.json()["Images"]
        assert [(i["FileName"], i["ContentType"], i["Url"]) for i in images] == [
            ("a.png", "image/png", f"{CONTENT}1"),
            ("b.gif", "image/gif", f"{CONTENT}2"),
            ("", None, "http://x.test/c.png"),
        ]
        assert response.json()["OwnerName"] == "Product"
        assert (await od.get(images[0]["Url"])).content == png(seed=5)
        served = await od.get(images[1]["Url"])
        assert (served.content, served.headers["content-type"]) == (GIF, "image/gif")

    @pytest.mark.parametrize(
        ("image", "field", "message"),
        [
            (image_json(JPEG, content_type="image/png"), "Images[0]",
             "declared image/png but the file is image/jpeg"),
            (image_json(b"plain text", content_type="text/plain"), "Images[0]",
             "not an image of a known type (image/png, image/jpeg, image/gif, image/webp)"),
            ({"Base64Content": "not base64!"}, "Images[0].Base64Content", "is not base64"),
            ({"FileName": "a"}, "Images[0]", "send the image's content or its URL, one of the two"),
            ({"Url": "ftp://x.test/a.png"}, "Images[0]", "must be an absolute http or https URL"),
        ],
    )  # fmt: skip
    async def test_a_wrong_image_is_a_400_naming_it_and_writes_nothing(
        self,
        od: httpx.AsyncClient,
        make: Factory,
        store: DirectoryStore,
        image: dict[str, Any],
        field: str,
        message: str,
    ) -> None:
        await make.item("SKU-1")
        before = await written(make, store)
        body = {"OwnerName": "Item", "OwnerID": "SKU-1", "Images": [image]}

        response = await od.post(IMAGES, json=body)

        assert problem(response, 400)["errors"] == {field: [message]}
        assert await written(make, store) == before

    async def test_a_multipart_file_of_the_wrong_type_is_a_400_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory, store: DirectoryStore
    ) -> None:
        await make.item("SKU-1")
        before = await written(make, store)
        files = [
            ("Images", ("a.png", png(), "image/png")),
            ("Images", ("b.png", JPEG, "image/png")),
        ]

        response = await od.post(
            IMAGES, files=files, data={"OwnerName": "Item", "OwnerID": "SKU-1"}
        )

        assert problem(response, 400)["errors"] == {
            "Images[1]": ["declared image/png but the file is image/jpeg"]
        }
        assert await written(make, store) == before

    async def test_an_image_past_the_file_limit_is_a_413_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory, store: DirectoryStore
    ) -> None:
        await make.item("SKU-1")
        before = await written(make, store)
        big = png() + bytes(LIMIT)
        body = {"OwnerName": "Item", "OwnerID": "SKU-1", "Images": [image_json(big)]}
        files = [("Images", ("big.png", big, "image/png"))]

        as_json = await od.post(IMAGES, json=body)
        as_form = await od.post(IMAGES, files=files, data={"OwnerName": "Item", "OwnerID": "SKU-1"})

        message = f"larger than the limit of {LIMIT} bytes"
        assert problem(as_json, 413)["errors"] == {"Images[0].Base64Content": [message]}
        assert problem(as_form, 413)["errors"] == {"Images[0]": [message]}
        assert await written(make, store) == before

    async def test_a_body_past_the_upload_limit_is_a_413_before_it_is_parsed(
        self, od: httpx.AsyncClient, make: Factory, store: DirectoryStore
    ) -> None:
        await make.item("SKU-1")
        before = await written(make, store)
        images = [image_json(png() + bytes(LIMIT // 2)) for _ in range(3)]

        response = await od.post(
            IMAGES, json={"OwnerName": "Item", "OwnerID": "SKU-1", "Images": images}
        )

        limit = -(-LIMIT // 3) * 4 + 64 * 1024
        assert problem(response, 413)["errors"] == {
            "body": [f"body: larger than the limit of {limit} bytes"]
        }
        assert await written(make, store) == before

    @pytest.mark.parametrize(
        ("name", "key"), [("Item", "NOPE"), ("Item", "THEIRS"), ("Product", "SKU-1")]
    )
    async def test_an_unknown_or_foreign_owner_is_a_404_and_writes_nothing(
        self,
        od: httpx.AsyncClient,
        make: Factory,
        store: DirectoryStore,
        engines: Engines,
        name: str,
        key: str,
    ) -> None:
        await make.item("SKU-1")
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
        await Factory(engines, other.account_id).item("THEIRS")
        before = await written(make, store)
        body = {"OwnerName": name, "OwnerID": key, "Images": [image_json(png())]}

        response = await od.post(IMAGES, json=body)

        assert problem(response, 404)["detail"] == f"{name.lower()} {key!r} not found"
        assert await written(make, store) == before

    async def test_an_unknown_owner_name_is_a_400(self, od: httpx.AsyncClient) -> None:
        body = {"OwnerName": "Order", "OwnerID": "1", "Images": [image_json(png())]}

        response = await od.post(IMAGES, json=body)

        assert problem(response, 400)["errors"] == {"OwnerName": ["must be Product or Item"]}

    async def test_a_read_only_token_cannot_upload_403_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory, store: DirectoryStore
    ) -> None:
        await make.item("SKU-1")
        token = await token_for(od, await member(make, role=Role.READ_ONLY))
        before = await written(make, store)
        body = {"OwnerName": "Item", "OwnerID": "SKU-1", "Images": [image_json(png())]}

        response = await as_staff(od, "POST", IMAGES, token, json=body)

        assert problem(response, 403)["detail"] == "a read-only staff member cannot change anything"
        assert await written(make, store) == before


class TestImageContent:
    async def test_another_accounts_image_and_an_unknown_one_are_404(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        await make.item("SKU-1")
        body = {"OwnerName": "Item", "OwnerID": "SKU-1", "Images": [image_json(png())]}
        assert (await od.post(IMAGES, json=body)).status_code == 201

        foreign = await od.get(f"{CONTENT}1", headers={"Ocp-Apim-Subscription-Key": other_key})
        unknown = await od.get(f"{CONTENT}2")

        assert problem(foreign, 404)["detail"] == "image 1 not found"
        assert problem(unknown, 404)["detail"] == "image 2 not found"


class TestDeleteImages:
    async def test_all_of_an_owners_images_and_files_are_deleted(
        self, od: httpx.AsyncClient, make: Factory, store: DirectoryStore
    ) -> None:
        await make.item("SKU-1")
        await make.item("SKU-2")
        for sku in ("SKU-1", "SKU-1", "SKU-2"):
            body = {"OwnerName": "Item", "OwnerID": sku, "Images": [image_json(png())]}
            assert (await od.post(IMAGES, json=body)).status_code == 201
        events = await count_rows(make, "events")

        response = await od.delete(IMAGES, params={"OwnerName": "Item", "OwnerID": "SKU-1"})

        assert response.status_code == 200, response.text
        assert response.json() == {"OwnerName": "Item", "OwnerID": "SKU-1", "DeletedCount": 2}
        assert len(store.keys()) == 1
        assert (await od.get(f"{CONTENT}1")).status_code == 404
        assert (await od.get(f"{CONTENT}3")).content == png()
        assert await count_rows(make, "events") == events + 2
        with expecting_no_event():  # nothing left to delete
            again = await od.delete(IMAGES, params={"ownername": "item", "ownerid": "SKU-1"})
        assert again.json()["DeletedCount"] == 0

    async def test_an_unknown_owner_is_a_404_and_a_read_only_token_a_403(
        self, od: httpx.AsyncClient, make: Factory, store: DirectoryStore
    ) -> None:
        await make.item("SKU-1")
        body = {"OwnerName": "Item", "OwnerID": "SKU-1", "Images": [image_json(png())]}
        assert (await od.post(IMAGES, json=body)).status_code == 201
        token = await token_for(od, await member(make, role=Role.READ_ONLY))
        before = await written(make, store)

        unknown = await od.delete(IMAGES, params={"OwnerName": "Item", "OwnerID": "NOPE"})
        refused = await as_staff(od, "DELETE", f"{IMAGES}?OwnerName=Item&OwnerID=SKU-1", token)

        assert problem(unknown, 404)["detail"] == "item 'NOPE' not found"
        assert problem(refused, 403)["status"] == 403
        assert await written(make, store) == before


async def create_style(od: httpx.AsyncClient) -> None:
    created = await od.post(
        "/v1/products", json={"ProductBackendName": "STYLE-1", "ProductName": "Style one"}
    )
    assert created.status_code in (200, 201), created.text


class TestStreamedLimit:
    """A 20 MB upload is refused after reading at most the limit and one chunk."""

    CHUNK = 64 * 1024
    TOTAL = 20 * 1024 * 1024

    async def upload(self, app: Any, headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
        """Send 20 MB in 64 KiB chunks; the status answered and how many bytes were read."""
        read = 0
        answered: list[Message] = []

        async def receive() -> Message:
            nonlocal read
            if read >= self.TOTAL:
                return {"type": "http.disconnect"}
            read += self.CHUNK
            chunk = bytes([read // self.CHUNK % 256]) * self.CHUNK  # a new object each time
            return {"type": "http.request", "body": chunk, "more_body": read < self.TOTAL}

        async def send(message: Message) -> None:
            answered.append(message)

        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "POST", "scheme": "http", "path": "/v1/images", "raw_path": b"/v1/images",
            "root_path": "", "query_string": b"", "server": ("orderyard.test", 80),
            "client": ("127.0.0.1", 1), "headers": headers,
        }  # fmt: skip
        await app(scope, receive, send)
        return answered[0]["status"], read

    async def test_a_streamed_20_mb_body_is_refused_after_limit_plus_one_chunk(
        self, db_url: str, tmp_path: Path, account: NewAccount
    ) -> None:
        app = create_app(
            Settings(
                database=DatabaseSettings(url=db_url, pool_size=5),
                storage=StorageSettings(directory=tmp_path / "files"),
            )
        )
        headers = [
            (b"content-type", b"application/json"),
            (b"ocp-apim-subscription-key", account.key.encode()),
        ]
        limit = -(-DEFAULT_MAX_FILE_BYTES // 3) * 4 + 64 * 1024
        tracemalloc.start()
        try:
            status, read = await self.upload(app, headers)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

        assert status == 413
        assert limit < read <= limit + self.CHUNK
        assert peak < limit + 4 * self.CHUNK + 1024 * 1024  # never near the 20 MB sent
        declared = [*headers, (b"content-length", str(self.TOTAL).encode())]
        assert await self.upload(app, declared) == (413, 0)  # refused before reading any
        assert not (tmp_path / "files").exists()
        await app.state.orderyard.engines.dispose()
