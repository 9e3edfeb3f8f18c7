"""Tickets API (``/v1/tickets``), end to end through HTTP: every endpoint, good and bad."""

from typing import Any

import httpx
import pytest

from orderyard.domain.staff import Role
from orderyard.services import account as account_service
from orderyard.services import staff as staff_service
from orderyard.services.account import NewAccount
from orderyard.services.staff import StaffRef
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.dialects.event_walk import expecting_no_event
from tests.dialects.orderdynamics.test_locations import problem
from tests.dialects.orderdynamics.test_staff import as_staff, member, token_for
from tests.factories import Factory
from tests.services.checks import count_rows

TICKETS = "/v1/tickets"
EVENTS = "/v1/tickets/Events"
QUEUES = "/v1/tickets/Queues"
HISTORY = "/v1/tickets/customerHistory"
KEY = "Ocp-Apim-Subscription-Key"
TABLES = ("tickets", "ticket_events", "ticket_queues", "events")


async def written(make: Factory) -> tuple[int, ...]:
    """Rows of the account in every table a ticket write touches."""
    return tuple([await count_rows(make, table) for table in TABLES])


async def customer(od: httpx.AsyncClient, external: str, **headers: str) -> int:
    body = {"ExternalCustomerId": external, "Email": f"{external.lower()}@shop.test"}
    response = await od.post("/v1/customers", json=body, headers=headers)
    assert response.status_code == 201, response.text
    found: int = response.json()["InternalCustomerId"]
    return found


async def order(make: Factory, number: str = "ORD-1") -> int:
    await make.location("DC-1")
    await make.item("SKU-1")
    placed = await make.order(("SKU-1", 1), number=number)
    assert placed.order_id is not None
    return placed.order_id


@pytest.fixture
async def other(engines: Engines) -> tuple[NewAccount, Factory]:
    """A second account, with its factories."""
    made = await account_service.create_account(
        SystemUnitOfWork(engines.write), "Other", shipping_methods=("Pick",)
    )
    return made, Factory(engines, made.account_id)


async def create(od: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    response = await od.post(TICKETS, json={"Subject": "Late parcel", **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def without_times(ticket: dict[str, Any]) -> dict[str, Any]:
    assert ticket.pop("CreatedDateTimeUtc").endswith("Z")
    assert ticket.pop("LastUpdatedDateTimeUtc").endswith("Z")
    return ticket


def changes(page: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (e["FieldName"], e["OldValue"], e["NewValue"], e["EventInitiator"]) for e in page["Items"]
    ]


class TestCreateOne:
    async def test_a_ticket_with_every_field_answers_201_open_with_its_links(
        self, od: httpx.AsyncClient, make: Factory, account: NewAccount
    ) -> None:
        ann = await member(make, role=Role.OPERATOR)
        cust = await customer(od, "C-1")
        order_id = await order(make)

        body = await create(
            od,
            description="Where is it?",
            priority="high",
            queueName="Shipping",
            AssigneeInternalStaffId=ann,
            InternalCustomerId=cust,
            ExternalOrderId="ORD-1",
        )

        assert without_times(body) == {
            "TicketId": body["TicketId"],
            "Subject": "Late parcel",
            "Description": "Where is it?",
            "Status": "Open",
            "Priority": "High",
            "QueueName": "Shipping",
            "AssigneeInternalStaffId": ann,
            "InternalCustomerId": cust,
            "ExternalCustomerId": "C-1",
            "InternalOrderId": order_id,
            "ExternalOrderId": "ORD-1",
        }
        events = (await od.get(EVENTS, params={"TicketId": body["TicketId"]})).json()
        actor = f"api:{account.account_id}"
        assert changes(events) == [
            ("Status", None, "Open", actor),
            ("Priority", None, "High", actor),
            ("QueueName", None, "Shipping", actor),
            ("AssigneeInternalStaffId", None, str(ann), actor),
        ]
        async with make.uow() as uow:
            logged = await uow.events.of("ticket", body["TicketId"])
        assert logged == [(actor, "ticket_created")]

    async def test_a_subject_alone_makes_a_normal_open_ticket_of_nobody(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        body = await create(od)

        assert without_times(body) == {
            "TicketId": body["TicketId"],
            "Subject": "Late parcel",
            "Description": "",
            "Status": "Open",
            "Priority": "Normal",
            "QueueName": None,
            "AssigneeInternalStaffId": None,
            "InternalCustomerId": None,
            "ExternalCustomerId": None,
            "InternalOrderId": None,
            "ExternalOrderId": None,
        }
        assert await written(make) == (1, 2, 0, 1)

    async def test_a_staff_token_is_the_initiator_of_the_ticket_and_its_events(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        ann = await member(make, role=Role.OPERATOR)
        token = await token_for(od, ann)

        response = await as_staff(od, "POST", TICKETS, token, json={"Subject": "Broken"})

        assert response.status_code == 201, response.text
        ticket_id = response.json()["TicketId"]
        events = (await od.get(EVENTS, params={"TicketId": ticket_id})).json()["Items"]
        assert [(e["EventInitiatorType"], e["EventInitiatorId"]) for e in events] == [
            ("Staff", ann),
            ("Staff", ann),
        ]
        async with make.uow() as uow:
            assert await uow.events.of("ticket", ticket_id) == [(f"staff:{ann}", "ticket_created")]

    async def test_a_read_only_token_is_a_403_and_nothing_is_written(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        bob = await member(make, "bob@shop.test", Role.READ_ONLY)
        token = await token_for(od, bob)
        before = await written(make)

        response = await as_staff(
            od, "POST", TICKETS, token, json={"Subject": "x", "QueueName": "New"}
        )

        assert problem(response, 403)["detail"] == "a read-only staff member cannot change anything"
        assert await written(make) == before

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "Subject"),
            ({"Subject": ""}, "Subject"),
            ({"Subject": 7}, "Subject"),
            ({"Subject": "s" * 201}, "Subject"),
            ({"Subject": "x", "Priority": "Meh"}, "Priority"),
            ({"Subject": "x", "Priority": 1}, "Priority"),
            ({"Subject": "x", "AssigneeInternalStaffId": "1"}, "AssigneeInternalStaffId"),
            ({"Subject": "x", "InternalCustomerId": True}, "InternalCustomerId"),
            ({"Subject": "x", "InternalOrderId": 0}, "InternalOrderId"),
            ({"Subject": "x", "QueueName": ""}, "QueueName"),
            ({"Subject": "x", "Description": "d" * 4001}, "Description"),
        ],
    )
    async def test_a_missing_or_wrongly_typed_field_is_a_400_naming_it(
        self, od: httpx.AsyncClient, make: Factory, body: dict[str, Any], field: str
    ) -> None:
        response = await od.post(TICKETS, json=body)

        assert list(problem(response, 400)["errors"]) == [field]
        assert await written(make) == (0, 0, 0, 0)

    async def test_a_body_neither_object_nor_array_is_a_400(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        response = await od.post(TICKETS, json="ticket")

        assert list(problem(response, 400)["errors"]) == ["body"]
        assert await written(make) == (0, 0, 0, 0)

    async def test_unknown_and_foreign_customers_orders_and_staff_are_404s_writing_nothing(
        self, od: httpx.AsyncClient, make: Factory, other: tuple[NewAccount, Factory]
    ) -> None:
        account, theirs = other
        their_customer = await customer(od, "C-9", **{KEY: account.key})
        their_order = await order(theirs, "THEIRS-1")
        their_staff = await member(theirs, "eve@other.test")
        await order(make)
        before = await written(make)
        cases = [
            ({"InternalCustomerId": their_customer}, f"customer {their_customer} not found"),
            ({"ExternalCustomerId": "C-9"}, "customer C-9 not found"),
            ({"InternalOrderId": their_order}, f"order {their_order} not found"),
            ({"ExternalOrderId": "THEIRS-1"}, "order 'THEIRS-1' not found"),
            ({"AssigneeInternalStaffId": their_staff}, f"staff member {their_staff} not found"),
            ({"InternalOrderId": 999_999}, "order 999999 not found"),
        ]

        for fields, detail in cases:
            response = await od.post(TICKETS, json={"Subject": "x", "QueueName": "Q", **fields})
            assert problem(response, 404)["detail"] == detail

        assert await written(make) == before

    async def test_ids_naming_two_different_customers_or_orders_are_404s(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        first = await customer(od, "C-1")
        await customer(od, "C-2")
        order_id = await order(make)
        await make.order(("SKU-1", 1), number="ORD-2")
        before = await written(make)

        customers = await od.post(
            TICKETS,
            json={"Subject": "x", "InternalCustomerId": first, "ExternalCustomerId": "C-2"},
        )
        orders = await od.post(
            TICKETS, json={"Subject": "x", "InternalOrderId": order_id, "ExternalOrderId": "ORD-2"}
        )

        assert problem(customers, 404)["detail"] == f"customer {first} not found"
        assert problem(orders, 404)["detail"] == "order 'ORD-2' not found"
        assert await written(make) == before

    async def test_a_disabled_assignee_is_a_409_naming_it(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        ann = await member(make)
        await staff_service.disable_staff(make.uow(), StaffRef(ann))
        before = await written(make)

        response = await od.post(TICKETS, json={"Subject": "x", "AssigneeInternalStaffId": ann})

        assert problem(response, 409)["errors"] == {
            "AssigneeInternalStaffId": [f"staff member {ann} is disabled"]
        }
        assert await written(make) == before

    async def test_a_forgotten_customer_is_a_409_naming_it(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        cust = await customer(od, "C-1")
        forgotten = await od.post("/v1/customers/Forget", json={"InternalCustomerId": cust})
        assert forgotten.status_code == 200, forgotten.text
        before = await written(make)

        response = await od.post(TICKETS, json={"Subject": "x", "InternalCustomerId": cust})

        assert problem(response, 409)["errors"] == {
            "InternalCustomerId": [f"customer {cust} was forgotten"]
        }
        assert await written(make) == before


class TestCreateSeveral:
    async def test_valid_tickets_are_created_and_a_failing_one_leaves_no_trace(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        response = await od.post(
            TICKETS,
            json=[
                {"Subject": "one", "QueueName": "Billing"},
                {"Subject": "two", "QueueName": "Ghost", "AssigneeInternalStaffId": 424242},
                {"Subject": "three", "QueueName": "Billing"},
            ],
        )

        assert response.status_code == 200, response.text
        results = response.json()
        assert [(r["Index"], r["Result"], r["Errors"]) for r in results] == [
            (0, "Created", {}),
            (1, "Failed", {"AssigneeInternalStaffId": ["staff member 424242 not found"]}),
            (2, "Created", {}),
        ]
        assert results[1]["TicketId"] is None
        queues = (await od.get(QUEUES)).json()
        assert [q["QueueName"] for q in queues["Items"]] == ["Billing"]
        assert await written(make) == (2, 6, 1, 2)
        one = (await od.get(TICKETS, params={"TicketId": results[2]["TicketId"]})).json()
        assert (one["Subject"], one["QueueName"]) == ("three", "Billing")

    async def test_when_every_ticket_fails_the_answer_is_a_400_naming_each(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        response = await od.post(
            TICKETS,
            json=[
                {"Subject": "one", "InternalCustomerId": 77, "QueueName": "A"},
                {"Subject": "two", "InternalOrderId": 88},
            ],
        )

        assert problem(response, 400)["errors"] == {
            "[0].InternalCustomerId": ["customer 77 not found"],
            "[1].InternalOrderId": ["order 88 not found"],
        }
        assert await written(make) == (0, 0, 0, 0)

    @pytest.mark.parametrize(
        ("body", "fields"),
        [
            ([], ["body"]),
            ([{"Subject": "a"}, {}], ["[1].Subject"]),
            ([{"Subject": "a"}, 5], ["[1]"]),
            ([{"Subject": "a", "Priority": "Soon"}], ["[0].Priority"]),
            ([{"Subject": "a"}] * 101, ["body"]),
        ],
    )
    async def test_a_malformed_array_creates_nothing(
        self, od: httpx.AsyncClient, make: Factory, body: list[Any], fields: list[str]
    ) -> None:
        response = await od.post(TICKETS, json=body)

        assert list(problem(response, 400)["errors"]) == fields
        assert await written(make) == (0, 0, 0, 0)


class TestGet:
    async def test_one_by_id_and_pages_sorted_by_a_column(self, od: httpx.AsyncClient) -> None:
        low = await create(od, Subject="a", Priority="Low")
        urgent = await create(od, Subject="b", Priority="Urgent")
        normal = await create(od, Subject="c")

        one = await od.get(TICKETS + "/", params={"ticketid": urgent["TicketId"]})
        by_priority = await od.get(
            TICKETS, params={"SortByColumn": "priority", "Ascending": "false"}
        )
        second = await od.get(TICKETS, params={"PageSize": 2, "PageNumber": 2})

        assert one.json() == urgent
        page = by_priority.json()
        assert [t["Priority"] for t in page["Items"]] == ["Urgent", "Normal", "Low"]
        assert (page["TotalCount"], page["TotalPages"]) == (3, 1)
        assert [t["TicketId"] for t in second.json()["Items"]] == [normal["TicketId"]]
        assert low["TicketId"] < urgent["TicketId"] < normal["TicketId"]

    async def test_an_unknown_or_foreign_ticket_is_a_404(
        self, od: httpx.AsyncClient, other: tuple[NewAccount, Factory]
    ) -> None:
        mine = await create(od)

        foreign = await od.get(
            TICKETS, params={"TicketId": mine["TicketId"]}, headers={KEY: other[0].key}
        )
        unknown = await od.get(TICKETS, params={"TicketId": 999_999})

        assert problem(foreign, 404)["detail"] == f"ticket {mine['TicketId']} not found"
        assert problem(unknown, 404)["detail"] == "ticket 999999 not found"

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"TicketId": "abc"}, "TicketId"),
            ({"TicketId": 0}, "TicketId"),
            ({"SortByColumn": "Subject"}, "SortByColumn"),
            ({"Ascending": "sometimes"}, "Ascending"),
        ],
    )
    async def test_a_bad_parameter_is_a_400_naming_it(
        self, od: httpx.AsyncClient, params: dict[str, Any], field: str
    ) -> None:
        response = await od.get(TICKETS, params=params)

        assert list(problem(response, 400)["errors"]) == [field]


class TestUpdate:
    async def test_status_queue_and_assignee_change_each_with_an_event(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        ann = await member(make, role=Role.OPERATOR)
        bob = await member(make, "bob@shop.test", Role.OPERATOR)
        ticket = await create(od, QueueName="Front", AssigneeInternalStaffId=ann)
        token = await token_for(od, bob)

        response = await as_staff(
            od,
            "PUT",
            TICKETS,
            token,
            params={"TicketId": ticket["TicketId"]},
            json={"status": "PENDING", "QueueName": "Billing", "AssigneeInternalStaffId": bob},
        )

        assert response.status_code == 200, response.text
        updated = response.json()
        assert (updated["Status"], updated["QueueName"], updated["AssigneeInternalStaffId"]) == (
            "Pending",
            "Billing",
            bob,
        )
        assert updated["Priority"] == "Normal"
        page = (
            await od.get(EVENTS, params={"TicketId": ticket["TicketId"], "Ascending": "false"})
        ).json()
        staff = f"staff:{bob}"
        assert changes(page)[:3] == [
            ("AssigneeInternalStaffId", str(ann), str(bob), staff),
            ("QueueName", "Front", "Billing", staff),
            ("Status", "Open", "Pending", staff),
        ]
        assert page["TotalCount"] == 7
        async with make.uow() as uow:
            logged = await uow.events.of("ticket", ticket["TicketId"])
        assert logged[-1] == (staff, "ticket_updated")

    async def test_a_null_queue_or_assignee_clears_it_and_an_absent_one_stays(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        ann = await member(make)
        ticket = await create(od, QueueName="Front", AssigneeInternalStaffId=ann)
        where = {"TicketId": ticket["TicketId"]}

        kept = await od.put(TICKETS, params=where, json={"Priority": "Low"})
        cleared = await od.put(
            TICKETS, params=where, json={"QueueName": None, "AssigneeInternalStaffId": None}
        )

        assert (kept.json()["QueueName"], kept.json()["AssigneeInternalStaffId"]) == ("Front", ann)
        assert (cleared.json()["QueueName"], cleared.json()["AssigneeInternalStaffId"]) == (
            None,
            None,
        )
        page = (await od.get(EVENTS, params=where)).json()
        actor = page["Items"][0]["EventInitiator"]
        assert changes(page)[4:] == [
            ("Priority", "Normal", "Low", actor),
            ("QueueName", "Front", None, actor),
            ("AssigneeInternalStaffId", str(ann), None, actor),
        ]

    async def test_an_update_that_changes_nothing_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        ticket = await create(od, QueueName="Front")
        before = await written(make)

        with expecting_no_event():
            response = await od.put(
                TICKETS,
                params={"TicketId": ticket["TicketId"]},
                json={"Status": "Open", "QueueName": "Front"},
            )

        assert response.json() == ticket
        assert await written(make) == before

    async def test_a_move_the_status_does_not_allow_is_a_409_writing_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        ticket = await create(od)
        where = {"TicketId": ticket["TicketId"]}
        assert (await od.put(TICKETS, params=where, json={"Status": "Resolved"})).is_success
        before = await written(make)

        refused = await od.put(TICKETS, params=where, json={"Status": "Pending", "Priority": "Low"})

        assert problem(refused, 409)["errors"] == {
            "Status": ["a resolved ticket cannot become pending"]
        }
        assert await written(make) == before
        reopened = await od.put(TICKETS, params=where, json={"Status": "Open"})
        assert reopened.json()["Status"] == "Open"

    async def test_a_closed_ticket_changes_no_more(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        ticket = await create(od)
        where = {"TicketId": ticket["TicketId"]}
        assert (await od.put(TICKETS, params=where, json={"Status": "Closed"})).is_success
        before = await written(make)

        reopen = await od.put(TICKETS, params=where, json={"Status": "Open"})
        requeue = await od.put(TICKETS, params=where, json={"QueueName": "Later"})

        assert problem(reopen, 409)["errors"] == {"Status": ["a closed ticket cannot change"]}
        assert problem(requeue, 409)["errors"] == {"Status": ["a closed ticket cannot change"]}
        assert await written(make) == before

    async def test_unknown_tickets_and_assignees_are_404s_writing_nothing(
        self, od: httpx.AsyncClient, make: Factory, other: tuple[NewAccount, Factory]
    ) -> None:
        mine = await create(od)
        their_staff = await member(other[1], "eve@other.test")
        before = await written(make)

        foreign = await od.put(
            TICKETS,
            params={"TicketId": mine["TicketId"]},
            json={"Status": "Closed"},
            headers={KEY: other[0].key},
        )
        unknown = await od.put(TICKETS, params={"TicketId": 999_999}, json={"Status": "Closed"})
        assignee = await od.put(
            TICKETS,
            params={"TicketId": mine["TicketId"]},
            json={"Status": "Pending", "AssigneeInternalStaffId": their_staff},
        )

        assert problem(foreign, 404)["detail"] == f"ticket {mine['TicketId']} not found"
        assert problem(unknown, 404)["detail"] == "ticket 999999 not found"
        assert problem(assignee, 404)["detail"] == f"staff member {their_staff} not found"
        assert await written(make) == before

    @pytest.mark.parametrize(
        ("params", "body", "field"),
        [
            ({}, {"Status": "Closed"}, "TicketId"),
            ({"TicketId": "x"}, {"Status": "Closed"}, "TicketId"),
            ({"TicketId": 1}, {"Status": "Done"}, "Status"),
            ({"TicketId": 1}, {"Priority": 3}, "Priority"),
            ({"TicketId": 1}, {"AssigneeInternalStaffId": 1.5}, "AssigneeInternalStaffId"),
            ({"TicketId": 1}, {"QueueName": "q" * 101}, "QueueName"),
        ],
    )
    async def test_a_bad_parameter_or_field_is_a_400_naming_it(
        self,
        od: httpx.AsyncClient,
        make: Factory,
        params: dict[str, Any],
        body: dict[str, Any],
        field: str,
    ) -> None:
        await create(od)
        before = await written(make)

        response = await od.put(TICKETS, params=params, json=body)

        assert list(problem(response, 400)["errors"]) == [field]
        assert await written(make) == before

    async def test_a_read_only_token_is_a_403_writing_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        ticket = await create(od)
        token = await token_for(od, await member(make, "bob@shop.test", Role.READ_ONLY))
        before = await written(make)

        response = await as_staff(
            od, "PUT", TICKETS, token, params={"TicketId": ticket["TicketId"]},
            json={"Status": "Closed"},
        )  # fmt: skip

        assert response.status_code == 403
        assert await written(make) == before


class TestEventsAndQueues:
    async def test_every_tickets_events_in_the_order_written(self, od: httpx.AsyncClient) -> None:
        first = await create(od, Subject="a")
        second = await create(od, Subject="b", Priority="High")
        await od.put(TICKETS, params={"TicketId": first["TicketId"]}, json={"Status": "Pending"})

        page = (await od.get(EVENTS, params={"SortByColumn": "EventId"})).json()
        newest = (await od.get(EVENTS, params={"Ascending": "false", "PageSize": 1})).json()

        assert [(e["TicketId"], e["FieldName"], e["NewValue"]) for e in page["Items"]] == [
            (first["TicketId"], "Status", "Open"),
            (first["TicketId"], "Priority", "Normal"),
            (second["TicketId"], "Status", "Open"),
            (second["TicketId"], "Priority", "High"),
            (first["TicketId"], "Status", "Pending"),
        ]
        assert newest["Items"] == page["Items"][-1:]
        assert (newest["TotalCount"], newest["TotalPages"]) == (5, 5)

    async def test_events_of_an_unknown_or_foreign_ticket_are_a_404(
        self, od: httpx.AsyncClient, other: tuple[NewAccount, Factory]
    ) -> None:
        mine = await create(od)

        foreign = await od.get(
            EVENTS, params={"TicketId": mine["TicketId"]}, headers={KEY: other[0].key}
        )
        bad_sort = await od.get(EVENTS, params={"SortByColumn": "Field"})

        assert problem(foreign, 404)["detail"] == f"ticket {mine['TicketId']} not found"
        assert list(problem(bad_sort, 400)["errors"]) == ["SortByColumn"]

    async def test_queues_exist_from_the_first_ticket_naming_them(
        self, od: httpx.AsyncClient, make: Factory, other: tuple[NewAccount, Factory]
    ) -> None:
        await create(od, QueueName="Billing")
        ticket = await create(od, QueueName="Returns")
        await od.put(TICKETS, params={"TicketId": ticket["TicketId"]}, json={"QueueName": "VIP"})
        await create(od, QueueName="Billing")

        page = (await od.get(QUEUES)).json()
        theirs = (await od.get(QUEUES, headers={KEY: other[0].key})).json()

        assert [q["QueueName"] for q in page["Items"]] == ["Billing", "Returns", "VIP"]
        assert [q["QueueId"] for q in page["Items"]] == sorted(q["QueueId"] for q in page["Items"])
        assert (page["TotalCount"], theirs["TotalCount"]) == (3, 0)


class TestCustomerHistory:
    async def test_a_customers_tickets_newest_first_unless_asked(
        self, od: httpx.AsyncClient
    ) -> None:
        ann = await customer(od, "C-1")
        bob = await customer(od, "C-2")
        first = await create(od, Subject="a", InternalCustomerId=ann)
        await create(od, Subject="b", InternalCustomerId=bob)
        last = await create(od, Subject="c", ExternalCustomerId="C-1")

        newest = (await od.get(HISTORY, params={"customerId": ann})).json()
        oldest = (await od.get(HISTORY, params={"CUSTOMERID": ann, "sortDirection": "asc"})).json()

        assert [t["TicketId"] for t in newest["Items"]] == [last["TicketId"], first["TicketId"]]
        assert [t["TicketId"] for t in oldest["Items"]] == [first["TicketId"], last["TicketId"]]
        assert {t["ExternalCustomerId"] for t in newest["Items"]} == {"C-1"}

    async def test_sorted_by_status_with_paging(self, od: httpx.AsyncClient) -> None:
        ann = await customer(od, "C-1")
        tickets = [await create(od, InternalCustomerId=ann) for _ in range(3)]
        await od.put(
            TICKETS, params={"TicketId": tickets[1]["TicketId"]}, json={"Status": "Closed"}
        )

        page = await od.get(
            HISTORY,
            params={"customerId": ann, "sortBy": "Status", "sortDirection": "Asc", "pageSize": 2},
        )

        body = page.json()
        assert [(t["TicketId"], t["Status"]) for t in body["Items"]] == [
            (tickets[1]["TicketId"], "Closed"),
            (tickets[0]["TicketId"], "Open"),
        ]
        assert (body["TotalCount"], body["TotalPages"]) == (3, 2)

    @pytest.mark.parametrize(
        ("params", "status", "field"),
        [
            ({}, 400, "CustomerId"),
            ({"customerId": "C-1"}, 400, "CustomerId"),
            ({"customerId": 1, "sortBy": "Subject"}, 400, "sortBy"),
            ({"customerId": 1, "sortDirection": "up"}, 400, "sortDirection"),
        ],
    )
    async def test_a_bad_parameter_is_a_400_naming_it(
        self, od: httpx.AsyncClient, params: dict[str, Any], status: int, field: str
    ) -> None:
        response = await od.get(HISTORY, params=params)

        assert list(problem(response, status)["errors"]) == [field]

    async def test_an_unknown_or_foreign_customer_is_a_404(
        self, od: httpx.AsyncClient, other: tuple[NewAccount, Factory]
    ) -> None:
        theirs = await customer(od, "C-9", **{KEY: other[0].key})

        foreign = await od.get(HISTORY, params={"customerId": theirs})
        unknown = await od.get(HISTORY, params={"customerId": 999_999})

        assert problem(foreign, 404)["detail"] == f"customer {theirs} not found"
        assert problem(unknown, 404)["detail"] == "customer 999999 not found"
