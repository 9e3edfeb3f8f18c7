"""Notes API (``/v1/notes``) end to end: notes on any record, attachments, get, update."""

import base64
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from orderyard.domain.staff import Role
from orderyard.kit.clock import TestClock
from orderyard.kit.storage import DirectoryStore
from orderyard.services import account as account_service
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.dialects.orderdynamics.media_app import BASE, LIMIT, media_client
from tests.dialects.orderdynamics.test_locations import problem
from tests.dialects.orderdynamics.test_staff import as_staff, member, token_for
from tests.factories import Factory
from tests.services.checks import count_rows
from tests.services.test_media import JPEG, png

NOTES = "/v1/notes"
ATTACHMENT = f"{BASE}/v1/notes/Attachment?AttachmentId="
WHEN = "2026-12-06T09:00:00Z"
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF"


@pytest.fixture
def store(tmp_path: Path) -> DirectoryStore:
    return DirectoryStore(tmp_path / "files")


@pytest.fixture
async def od(
    db_url: str, store: DirectoryStore, account: NewAccount
) -> AsyncIterator[httpx.AsyncClient]:
    async with media_client(db_url, store.root, account.key) as client:
        yield client


def attachment(data: bytes, name: str = "", content_type: str = "") -> dict[str, Any]:
    return {
        "FileName": name,
        "ContentType": content_type,
        "Base64Content": base64.b64encode(data).decode(),
    }


async def written(make: Factory, store: DirectoryStore) -> tuple[int, int, int, list[str]]:
    tables = ("notes", "note_attachments", "events")
    counts = [await count_rows(make, table) for table in tables]
    return counts[0], counts[1], counts[2], store.keys()


async def an_order(make: Factory) -> int:
    await make.location("DC-1")
    await make.item("SKU-1")
    order = await make.order(("SKU-1", 1))
    assert order.order_id is not None
    return order.order_id


class TestCreateNote:
    async def test_a_note_on_an_order_with_attachments_round_trips_byte_for_byte(
        self, od: httpx.AsyncClient, make: Factory, store: DirectoryStore, clock: TestClock
    ) -> None:
        order_id = await an_order(make)
        events = await count_rows(make, "events")
        body = {
            "TableName": "Order",
            "KeyValue": str(order_id),
            "NoteText": "Customer called: leave at the door.",
            "Attachments": [
                attachment(PDF, "call.pdf", "application/pdf"),
                attachment(b"\x00\x01\xfe\xff", "raw.bin"),
            ],
        }

        response = await od.post(NOTES, json=body)

        assert response.status_code == 201, response.text
        assert response.json() == {
            "NoteId": 1,
            "TableName": "Order",
            "KeyValue": str(order_id),
            "NoteText": "Customer called: leave at the door.",
            "CreatedBy": "api:1",  # the account's key (account 1)
            "CreatedDateTimeUtc": WHEN,
            "LastUpdatedDateTimeUtc": WHEN,
            "Attachments": [
                {"AttachmentId": 1, "FileName": "call.pdf", "ContentType": "application/pdf",
                 "Size": len(PDF), "Url": f"{ATTACHMENT}1", "CreatedDateTimeUtc": WHEN},
                {"AttachmentId": 2, "FileName": "raw.bin",
                 "ContentType": "application/octet-stream", "Size": 4, "Url": f"{ATTACHMENT}2",
                 "CreatedDateTimeUtc": WHEN},
            ],
        }  # fmt: skip
        pdf = await od.get(f"{ATTACHMENT}1")
        assert (pdf.status_code, pdf.content) == (200, PDF)
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.headers["content-disposition"] == "attachment; filename*=UTF-8''call.pdf"
        assert (await od.get(f"{ATTACHMENT}2")).content == b"\x00\x01\xfe\xff"
        assert len(store.keys()) == 2
        assert await count_rows(make, "events") == events + 1

    async def test_a_multipart_note_keeps_each_parts_type_and_bytes(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await make.item("SKU-1")
        files = [
            ("Attachments", ("label.png", png(seed=9), "image/png")),
            ("Attachments", ("notes.csv", b"a,b\n1,2\n", "text/csv")),
        ]
        data = {"tablename": "item", "KeyValue": "SKU-1", "NoteText": "Relabel"}

        response = await od.post(NOTES, files=files, data=data)

        assert response.status_code == 201, response.text
        note = response.json()
        assert (note["TableName"], note["KeyValue"], note["NoteText"]) == (
            "Item",
            "SKU-1",
            "Relabel",
        )
        assert [(a["FileName"], a["ContentType"], a["Size"]) for a in note["Attachments"]] == [
            ("label.png", "image/png", len(png(seed=9))),
            ("notes.csv", "text/csv", 8),
        ]
        label = await od.get(note["Attachments"][0]["Url"])
        assert (label.content, label.headers["content-type"]) == (png(seed=9), "image/png")
        csv = await od.get(note["Attachments"][1]["Url"])
        assert (csv.content, csv.headers["content-type"]) == (b"a,b\n1,2\n", "text/csv")

    @pytest.mark.parametrize(
        ("table", "key", "status", "answer"),
        [
            ("Invoice", "1", 400, {"TableName": [
                "unknown table 'Invoice' (one of Order, Customer, Item, Product)"]}),
            ("Order", "first", 400, {"KeyValue": ["Order ids are positive integers"]}),
            ("Order", "999", 404, "Order '999' not found"),
            ("Customer", "1", 404, "Customer '1' not found"),
            ("Item", "THEIRS", 404, "Item 'THEIRS' not found"),
            ("Product", "NOPE", 404, "Product 'NOPE' not found"),
        ],
    )  # fmt: skip
    async def test_an_unknown_table_or_a_missing_or_foreign_record_writes_nothing(
        self,
        od: httpx.AsyncClient,
        make: Factory,
        store: DirectoryStore,
        engines: Engines,
        table: str,
        key: str,
        status: int,
        answer: object,
    ) -> None:
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
        await Factory(engines, other.account_id).item("THEIRS")
        before = await written(make, store)
        body = {
            "TableName": table,
            "KeyValue": key,
            "NoteText": "x",
            "Attachments": [attachment(PDF, "a.pdf", "application/pdf")],
        }

        response = await od.post(NOTES, json=body)

        found = problem(response, status)
        assert (found["errors"] if status == 400 else found["detail"]) == answer
        assert await written(make, store) == before

    async def test_an_attachment_past_the_limit_or_mistyped_is_refused_writing_nothing(
        self, od: httpx.AsyncClient, make: Factory, store: DirectoryStore
    ) -> None:
        await make.item("SKU-1")
        before = await written(make, store)
        note = {"TableName": "Item", "KeyValue": "SKU-1", "NoteText": "x"}

        big = await od.post(NOTES, json={**note, "Attachments": [attachment(bytes(LIMIT + 1))]})
        big_part = await od.post(
            NOTES, data=note, files=[("Attachments", ("a.bin", bytes(LIMIT + 1), "text/plain"))]
        )
        mistyped = await od.post(
            NOTES, json={**note, "Attachments": [attachment(JPEG, "a.png", "image/png")]}
        )

        message = f"larger than the limit of {LIMIT} bytes"
        assert problem(big, 413)["errors"] == {"Attachments[0].Base64Content": [message]}
        assert problem(big_part, 413)["errors"] == {"Attachments[0]": [message]}
        assert problem(mistyped, 400)["errors"] == {
            "Attachments[0]": ["declared image/png but the file is not"]
        }
        assert await written(make, store) == before

    async def test_a_read_only_token_cannot_write_a_note_403_writing_nothing(
        self, od: httpx.AsyncClient, make: Factory, store: DirectoryStore
    ) -> None:
        await make.item("SKU-1")
        token = await token_for(od, await member(make, role=Role.READ_ONLY))
        before = await written(make, store)
        body = {"TableName": "Item", "KeyValue": "SKU-1", "NoteText": "x"}

        response = await as_staff(od, "POST", NOTES, token, json=body)
        read = await as_staff(od, "GET", f"{NOTES}?TableName=Item&KeyValue=SKU-1", token)

        assert problem(response, 403)["detail"] == "a read-only staff member cannot change anything"
        assert read.status_code == 200
        assert await written(make, store) == before


class TestGetNotes:
    async def test_notes_of_a_record_sort_and_page_and_one_is_found_by_its_id(
        self, od: httpx.AsyncClient, make: Factory, clock: TestClock
    ) -> None:
        await make.item("SKU-1")
        await make.item("SKU-2")
        for sku, text in (("SKU-1", "a"), ("SKU-2", "other"), ("SKU-1", "b"), ("SKU-1", "c")):
            clock.advance(timedelta(minutes=1))
            body = {"TableName": "Item", "KeyValue": sku, "NoteText": text}
            assert (await od.post(NOTES, json=body)).status_code == 201

        page = await od.get(
            NOTES,
            params={"TableName": "Item", "KeyValue": "SKU-1", "SortByColumn": "createddatetimeutc",
                    "Ascending": "false", "PageSize": 2, "PageNumber": 1},
        )  # fmt: skip
        by_id = await od.get(NOTES, params={"NoteID": 2})

        assert page.status_code == 200, page.text
        listed = page.json()
        assert [n["NoteText"] for n in listed["Items"]] == ["c", "b"]
        assert (listed["TotalCount"], listed["TotalPages"], listed["PageSize"]) == (3, 2, 2)
        assert by_id.json()["Items"][0]["NoteText"] == "other"
        assert by_id.json()["TotalCount"] == 1

    @pytest.mark.parametrize(
        ("params", "status", "answer"),
        [
            ({}, 400, {"NoteID": ["send NoteID, or TableName and KeyValue"]}),
            ({"TableName": "Item"}, 400, {"NoteID": ["send NoteID, or TableName and KeyValue"]}),
            ({"TableName": "Item", "KeyValue": "SKU-1", "SortByColumn": "Text"}, 400,
             {"SortByColumn": ["one of NoteId, CreatedDateTimeUtc, LastUpdatedDateTimeUtc"]}),
            ({"NoteID": 9}, 404, "note 9 not found"),
            ({"NoteID": 1, "TableName": "Order"}, 404, "note 1 not found"),
            ({"TableName": "Item", "KeyValue": "NOPE"}, 404, "Item 'NOPE' not found"),
        ],
    )  # fmt: skip
    async def test_bad_or_unknown_lookups_are_refused(
        self,
        od: httpx.AsyncClient,
        make: Factory,
        params: dict[str, Any],
        status: int,
        answer: object,
    ) -> None:
        await make.item("SKU-1")
        body = {"TableName": "Item", "KeyValue": "SKU-1", "NoteText": "x"}
        assert (await od.post(NOTES, json=body)).status_code == 201

        response = await od.get(NOTES, params=params)

        found = problem(response, status)
        assert (found["errors"] if status == 400 else found["detail"]) == answer

    async def test_another_accounts_note_and_attachment_are_404(
        self, od: httpx.AsyncClient, make: Factory, engines: Engines
    ) -> None:
        await make.item("SKU-1")
        body = {"TableName": "Item", "KeyValue": "SKU-1", "NoteText": "x",
                "Attachments": [attachment(PDF)]}  # fmt: skip
        assert (await od.post(NOTES, json=body)).status_code == 201
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
        theirs = {"Ocp-Apim-Subscription-Key": other.key}

        note = await od.get(NOTES, params={"NoteID": 1}, headers=theirs)
        file = await od.get(f"{ATTACHMENT}1", headers=theirs)
        changed = await od.put(NOTES, params={"NoteId": 1}, json={"NoteText": "y"}, headers=theirs)

        assert problem(note, 404)["detail"] == "note 1 not found"
        assert problem(file, 404)["detail"] == "attachment 1 not found"
        assert problem(changed, 404)["detail"] == "note 1 not found"
        assert (await od.get(NOTES, params={"NoteID": 1})).json()["Items"][0]["NoteText"] == "x"


class TestUpdateNote:
    async def test_the_text_changes_and_attachments_are_added_json_then_multipart(
        self, od: httpx.AsyncClient, make: Factory, clock: TestClock
    ) -> None:
        await make.item("SKU-1")
        body = {"TableName": "Item", "KeyValue": "SKU-1", "NoteText": "first",
                "Attachments": [attachment(PDF, "a.pdf", "application/pdf")]}  # fmt: skip
        assert (await od.post(NOTES, json=body)).status_code == 201
        events = await count_rows(make, "events")
        clock.advance(timedelta(hours=1))

        as_json = await od.put(
            NOTES,
            params={"noteid": 1},
            json={"NoteText": "second", "Attachments": [attachment(b"hi")]},
        )
        as_form = await od.put(
            f"{NOTES}/?NoteId=1", files=[("Attachments", ("c.png", png(), "image/png"))]
        )

        assert as_json.status_code == 200, as_json.text
        assert as_json.json()["NoteText"] == "second"
        assert as_json.json()["LastUpdatedDateTimeUtc"] == "2026-12-06T10:00:00Z"
        assert as_json.json()["CreatedDateTimeUtc"] == WHEN
        assert as_form.status_code == 200, as_form.text
        final = as_form.json()
        assert final["NoteText"] == "second"
        kept = [(a["AttachmentId"], a["FileName"], a["ContentType"]) for a in final["Attachments"]]
        assert kept == [
            (1, "a.pdf", "application/pdf"),
            (2, "", "application/octet-stream"),
            (3, "c.png", "image/png"),
        ]  # fmt: skip
        assert (await od.get(f"{ATTACHMENT}2")).content == b"hi"
        assert (await od.get(f"{ATTACHMENT}3")).content == png()
        assert await count_rows(make, "events") == events + 2

    async def test_nothing_to_change_unknown_note_and_read_only_token_write_nothing(
        self, od: httpx.AsyncClient, make: Factory, store: DirectoryStore
    ) -> None:
        await make.item("SKU-1")
        body = {"TableName": "Item", "KeyValue": "SKU-1", "NoteText": "x"}
        assert (await od.post(NOTES, json=body)).status_code == 201
        token = await token_for(od, await member(make, role=Role.READ_ONLY))
        before = await written(make, store)
        change = {"NoteText": "y", "Attachments": [attachment(PDF)]}

        empty = await od.put(NOTES, params={"NoteId": 1}, json={})
        unknown = await od.put(NOTES, params={"NoteId": 2}, json=change)
        refused = await as_staff(od, "PUT", f"{NOTES}?NoteId=1", token, json=change)

        assert problem(empty, 400)["errors"] == {"NoteText": ["send a new NoteText or attachments"]}
        assert problem(unknown, 404)["detail"] == "note 2 not found"
        assert problem(refused, 403)["status"] == 403
        assert await written(make, store) == before
