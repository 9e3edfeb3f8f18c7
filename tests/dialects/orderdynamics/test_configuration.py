"""Configuration API (``GET /v1``, ``PUT /v1``) and the Logging API's filters, over HTTP."""

import httpx

from orderyard.domain.staff import Role
from tests.dialects.orderdynamics.test_locations import problem
from tests.dialects.orderdynamics.test_staff import EVENTS, as_staff, member, token_for
from tests.factories import Factory
from tests.services.checks import count_rows

SETTINGS = "/v1"


async def settings(od: httpx.AsyncClient, **params: str) -> list[tuple[str, str, bool]]:
    response = await od.get(SETTINGS, params=params)
    assert response.status_code == 200, response.text
    return [(s["Key"], s["Value"], s["IsReadOnly"]) for s in response.json()["Items"]]


class TestGetSettings:
    async def test_every_setting_with_its_value(self, od: httpx.AsyncClient) -> None:
        assert await settings(od) == [
            ("AllocationStrategy", "by_priority", False),
            ("ShipsOnAllocation", "false", False),
            ("SendsEmails", "true", False),
            ("MaxPageSize", "250", True),
        ]

    async def test_keys_in_any_case_and_paging(self, od: httpx.AsyncClient) -> None:
        chosen = await settings(od, keys="maxpagesize, ShipsOnAllocation")
        second = await settings(od, pageSize="1", pageNumber="2")

        assert chosen == [("ShipsOnAllocation", "false", False), ("MaxPageSize", "250", True)]
        assert second == [("ShipsOnAllocation", "false", False)]

    async def test_an_unknown_key_is_a_400_naming_keys(self, od: httpx.AsyncClient) -> None:
        response = await od.get(SETTINGS, params={"keys": "AllocationStrategy,Colour"})

        assert list(problem(response, 400)["errors"]) == ["keys"]


class TestChangeSettings:
    async def test_changes_apply_together_and_are_logged(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        body = {
            "Settings": [
                {"Key": "AllocationStrategy", "Value": "nearest"},
                {"Key": "shipsonallocation", "Value": "TRUE"},
            ]
        }

        response = await od.put(SETTINGS, json=body)
        events = await od.get(EVENTS, params={"OwnerName": "account"})

        assert [(s["Key"], s["Value"]) for s in response.json()] == [
            ("AllocationStrategy", "nearest"),
            ("ShipsOnAllocation", "true"),
        ]
        assert [
            (e["EventType"], e["Data"], e["EventInitiatorType"]) for e in events.json()["Items"]
        ] == [
            ("allocation_strategy_switched", {"from": "by_priority", "to": "nearest"}, "Key"),
            ("account_ships_on_allocation_set", {"on": True}, "Key"),
        ]
        assert (await settings(od))[:2] == [
            ("AllocationStrategy", "nearest", False),
            ("ShipsOnAllocation", "true", False),
        ]

    async def test_emails_are_turned_off_with_an_event_and_a_bad_flag_changes_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        off = await od.put(SETTINGS, json={"Settings": [{"Key": "SendsEmails", "Value": "false"}]})
        bad = await od.put(
            SETTINGS,
            json={
                "Settings": [
                    {"Key": "SendsEmails", "Value": "true"},
                    {"Key": "ShipsOnAllocation", "Value": "maybe"},
                ]
            },
        )
        events = await od.get(EVENTS, params={"OwnerName": "account"})

        assert [(s["Key"], s["Value"]) for s in off.json()] == [("SendsEmails", "false")]
        assert bad.status_code == 400
        assert [(e["EventType"], e["Data"]) for e in events.json()["Items"]] == [
            ("account_sends_emails_set", {"on": False})
        ]
        assert await settings(od, keys="sendsemails") == [("SendsEmails", "false", False)]

    async def test_one_bad_value_changes_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        body = {
            "Settings": [
                {"Key": "AllocationStrategy", "Value": "nearest"},
                {"Key": "ShipsOnAllocation", "Value": "maybe"},
            ]
        }

        response = await od.put(SETTINGS, json=body)

        assert problem(response, 400)["errors"] == {"Value": ["'maybe' is not true or false"]}
        assert (await settings(od))[0] == ("AllocationStrategy", "by_priority", False)
        assert await count_rows(make, "events") == 0

    async def test_unknown_twice_and_read_only_keys_are_400s(self, od: httpx.AsyncClient) -> None:
        unknown = await od.put(SETTINGS, json={"Settings": [{"Key": "Colour", "Value": "red"}]})
        twice = await od.put(
            SETTINGS,
            json={"Settings": [{"Key": "MaxPageSize", "Value": "1"}] * 2},
        )
        read_only = await od.put(
            SETTINGS, json={"Settings": [{"Key": "MaxPageSize", "Value": "10"}]}
        )
        strategy = await od.put(
            SETTINGS, json={"Settings": [{"Key": "AllocationStrategy", "Value": "cheapest"}]}
        )

        assert list(problem(unknown, 400)["errors"]) == ["Settings[0].Key"]
        assert list(problem(twice, 400)["errors"]) == ["Settings[1].Key"]
        assert problem(read_only, 400)["errors"] == {
            "Key": ["the setting max_page_size is read-only"]
        }
        assert list(problem(strategy, 400)["errors"]) == ["Value"]

    async def test_only_an_admin_token_changes_settings(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        operator = await member(make, role=Role.OPERATOR)
        admin = await member(make, "boss@shop.test")
        body = {"Settings": [{"Key": "AllocationStrategy", "Value": "most_stock"}]}

        refused = await as_staff(od, "PUT", SETTINGS, await token_for(od, operator), json=body)
        allowed = await as_staff(od, "PUT", SETTINGS, await token_for(od, admin), json=body)
        logged = await od.get(EVENTS, params={"EventInitiatorId": str(admin)})

        assert problem(refused, 403)["detail"] == "only an admin can change the account's settings"
        assert allowed.status_code == 200
        assert [e["EventType"] for e in logged.json()["Items"]] == ["allocation_strategy_switched"]


class TestEventFilters:
    async def test_an_unknown_initiator_type_is_a_400_naming_it(
        self, od: httpx.AsyncClient
    ) -> None:
        response = await od.get(EVENTS, params={"EventInitiatorType": "Robot"})

        assert list(problem(response, 400)["errors"]) == ["EventInitiatorType"]

    async def test_system_events_are_those_of_neither_a_key_nor_staff(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await make.location("DC-1")
        await od.put(SETTINGS, json={"Settings": [{"Key": "ShipsOnAllocation", "Value": "true"}]})

        system = (await od.get(EVENTS, params={"EventInitiatorType": "System"})).json()
        key = (await od.get(EVENTS, params={"EventInitiatorType": "KEY"})).json()

        assert [(e["EventInitiator"], e["EventInitiatorId"]) for e in system["Items"]] == [
            ("test", None)
        ]
        assert [e["EventType"] for e in key["Items"]] == ["account_ships_on_allocation_set"]

    async def test_another_accounts_events_are_never_shown(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        await od.put(SETTINGS, json={"Settings": [{"Key": "ShipsOnAllocation", "Value": "true"}]})

        theirs = await od.get(EVENTS, headers={"Ocp-Apim-Subscription-Key": other_key})

        assert theirs.json()["TotalCount"] == 0
