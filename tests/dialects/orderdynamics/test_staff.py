"""Staff API (``/v1/staff``, ``/v1/staff/Token``) and bearer tokens, end to end through HTTP."""

from typing import Any

import httpx
import pytest

from orderyard.domain.errors import DuplicateError
from orderyard.domain.staff import Role
from orderyard.services import staff as staff_service
from orderyard.services.account import NewAccount
from tests.dialects.orderdynamics.test_locations import problem
from tests.factories import Factory
from tests.services.checks import count_rows

STAFF = "/v1/staff"
TOKEN = "/v1/staff/Token"
TAXES = "/v1/taxes"
EVENTS = "/v1/logging/FlexibleEvents"
PASSWORD = "correct horse battery"
KEY = "Ocp-Apim-Subscription-Key"


async def member(make: Factory, email: str = "ann@shop.test", role: Role = Role.ADMIN) -> int:
    created = await staff_service.create_staff(make.uow(), email, role, PASSWORD)
    return created.id


async def token_for(od: httpx.AsyncClient, staff_id: int) -> str:
    response = await od.post(TOKEN, json={"InternalStaffId": staff_id})
    assert response.status_code == 200, response.text
    token: str = response.json()["Token"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def as_staff(
    od: httpx.AsyncClient, method: str, url: str, token: str, **kwargs: Any
) -> httpx.Response:
    """A request with the token alone (no subscription key)."""
    headers = {name: value for name, value in od.headers.items() if name.lower() != KEY.lower()}
    return await od.request(method, url, headers={**headers, **bearer(token)}, **kwargs)


def tax(name: str = "ON-HST") -> dict[str, Any]:
    return {"BackendName": name, "Rate": 13, "CountryCode": "CA", "State": "ON"}


async def written(make: Factory) -> tuple[int, int]:
    return await count_rows(make, "tax_rates"), await count_rows(make, "events")


class TestGetStaff:
    async def test_by_id_by_email_in_any_case_and_by_page(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        ann = await member(make, "Ann@Shop.test")
        bob = await member(make, "bob@shop.test", Role.READ_ONLY)

        by_id = (await od.get(STAFF, params={"InternalStaffId": ann})).json()
        by_email = (await od.get(STAFF, params={"email": "ANN@shop.TEST"})).json()
        listed = await od.get(STAFF, params={"SortByColumn": "Email", "Ascending": "false"})

        assert by_id == by_email
        assert by_id.pop("CreatedDateTimeUtc")
        assert by_id == {
            "InternalStaffId": ann,
            "Email": "ann@shop.test",
            "Role": "Admin",
            "IsActive": True,
            "HasToken": False,
            "TokenIssuedDateTimeUtc": None,
        }
        page = listed.json()
        assert [row["InternalStaffId"] for row in page["Items"]] == [bob, ann]
        assert (page["TotalCount"], page["Items"][0]["Role"]) == (2, "ReadOnly")

    async def test_an_unknown_or_foreign_id_is_a_404(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        await member(make)
        other = await od.post(TOKEN, json={"Email": "x@y.test"}, headers={KEY: other_key})
        ann = await member(make, "zed@shop.test")

        foreign = await od.get(STAFF, params={"InternalStaffId": ann}, headers={KEY: other_key})
        unknown = await od.get(STAFF, params={"Email": "nobody@shop.test"})

        assert problem(other, 404)["detail"] == "staff member with e-mail 'x@y.test' not found"
        assert problem(foreign, 404)["detail"] == f"staff member {ann} not found"
        assert problem(unknown, 404)["detail"].startswith("staff member with e-mail")

    async def test_an_id_and_an_email_of_two_members_is_a_404(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        ann = await member(make)
        await member(make, "bob@shop.test")

        both = await od.get(STAFF, params={"InternalStaffId": ann, "Email": "bob@shop.test"})

        assert problem(both, 404)["detail"] == (
            f"staff member {ann} does not have e-mail 'bob@shop.test'"
        )

    async def test_an_unknown_sort_column_is_a_400_naming_it(self, od: httpx.AsyncClient) -> None:
        response = await od.get(STAFF, params={"SortByColumn": "Password"})

        assert list(problem(response, 400)["errors"]) == ["SortByColumn"]


class TestCreate:
    async def test_a_duplicate_email_in_any_case_is_refused_and_nothing_written(
        self, make: Factory
    ) -> None:
        await member(make, "ann@shop.test")

        with pytest.raises(DuplicateError) as refused:
            await member(make, "ANN@shop.test")

        assert (refused.value.field, await count_rows(make, "staff")) == ("email", 1)
        assert await count_rows(make, "events") == 1

    async def test_the_password_is_stored_as_an_argon2_hash(self, make: Factory) -> None:
        ann = await member(make)

        async with make.uow() as uow:
            stored = await uow.staff.password_hash(ann)

        assert stored.startswith("$argon2id$")
        assert PASSWORD not in stored


class TestTokens:
    async def test_a_token_authenticates_alone_and_only_its_digest_is_stored(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        ann = await member(make)

        issued = await od.post(TOKEN, json={"InternalStaffId": ann})
        token = issued.json()["Token"]
        mine = await as_staff(od, "GET", STAFF, token, params={"InternalStaffId": ann})

        assert issued.json()["Staff"]["HasToken"] is True
        assert mine.status_code == 200
        async with make.uow() as uow:
            found = await uow.conn.exec_driver_sql("SELECT token_digest FROM staff")
            digest = found.scalar_one()
        assert digest != token
        assert len(digest) == 64

    async def test_a_staff_token_write_names_the_member_as_initiator(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        ann = await member(make, role=Role.OPERATOR)
        token = await token_for(od, ann)

        created = await as_staff(od, "PUT", TAXES, token, json=tax())
        rate = created.json()["InternalTaxRateId"]
        by_key = await od.put(TAXES, json={**tax(), "Rate": 14})
        events = (await od.get(EVENTS, params={"OwnerId": rate, "OwnerName": "tax_rate"})).json()
        staff_only = await od.get(EVENTS, params={"EventInitiatorType": "staff"})

        assert (created.status_code, by_key.status_code) == (201, 200)
        assert [
            (e["EventInitiatorType"], e["EventInitiatorId"], e["EventInitiator"])
            for e in events["Items"]
        ] == [("Staff", ann, f"staff:{ann}"), ("Key", make.account_id, f"api:{make.account_id}")]
        assert [e["EventType"] for e in staff_only.json()["Items"]] == [
            events["Items"][0]["EventType"]
        ]

    async def test_a_read_only_token_reads_but_its_write_is_a_403_writing_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        reader = await member(make, role=Role.READ_ONLY)
        token = await token_for(od, reader)
        before = await written(make)

        read = await as_staff(od, "GET", TAXES, token)
        write = await as_staff(od, "PUT", TAXES, token, json=tax())

        assert read.status_code == 200
        assert problem(write, 403)["detail"] == "a read-only staff member cannot change anything"
        assert await written(make) == before

    @pytest.mark.parametrize("token", ["", "not-a-token"])
    async def test_an_unknown_token_is_a_401_problem(
        self, od: httpx.AsyncClient, make: Factory, token: str
    ) -> None:
        before = await written(make)

        response = await as_staff(od, "PUT", TAXES, token or "x" * 43, json=tax())

        assert problem(response, 401)["detail"] == staff_service.UNKNOWN_TOKEN
        assert response.headers["www-authenticate"] == "Bearer"
        assert await written(make) == before

    async def test_a_revoked_token_is_a_401_at_once(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        ann = await member(make)
        token = await token_for(od, ann)

        revoked = await od.post(TOKEN, json={"InternalStaffId": ann, "Action": "revoke"})
        after = await as_staff(od, "GET", STAFF, token)

        assert revoked.json()["Token"] is None
        assert revoked.json()["Staff"]["HasToken"] is False
        assert problem(after, 401)["detail"] == staff_service.UNKNOWN_TOKEN

    async def test_a_disabled_members_token_is_a_401(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        ann = await member(make)
        token = await token_for(od, ann)

        await staff_service.disable_staff(make.uow(), staff_service.StaffRef(ann))
        response = await as_staff(od, "GET", STAFF, token)
        again = await od.post(TOKEN, json={"InternalStaffId": ann})

        assert problem(response, 401)["detail"] == staff_service.UNKNOWN_TOKEN
        assert problem(again, 409)["errors"] == {
            "InternalStaffId": [f"staff member {ann} is disabled"]
        }

    async def test_a_new_token_replaces_the_old_one(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        ann = await member(make)
        first = await token_for(od, ann)

        second = await token_for(od, ann)

        assert (await as_staff(od, "GET", STAFF, first)).status_code == 401
        assert (await as_staff(od, "GET", STAFF, second)).status_code == 200

    async def test_an_operator_cannot_manage_anothers_token(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        operator = await member(make, role=Role.OPERATOR)
        admin = await member(make, "boss@shop.test")
        token = await token_for(od, operator)
        events = await count_rows(make, "events")

        issue = await as_staff(od, "POST", TOKEN, token, json={"InternalStaffId": admin})
        revoke = await as_staff(
            od, "POST", TOKEN, token, json={"InternalStaffId": admin, "Action": "Revoke"}
        )

        assert (
            problem(issue, 403)["detail"] == "only an admin can issue another staff member's token"
        )
        assert problem(revoke, 403)["detail"] == (
            "only an admin can revoke another staff member's token"
        )
        assert await count_rows(make, "events") == events

    async def test_an_admin_token_manages_others_and_anyone_revokes_its_own(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        admin = await member(make)
        reader = await member(make, "bob@shop.test", Role.READ_ONLY)
        admin_token = await token_for(od, admin)

        issued = await as_staff(od, "POST", TOKEN, admin_token, json={"Email": "bob@shop.test"})
        reader_token = issued.json()["Token"]
        own = await as_staff(
            od, "POST", TOKEN, reader_token, json={"InternalStaffId": reader, "Action": "Revoke"}
        )

        assert (issued.status_code, own.status_code) == (200, 403)

    async def test_a_member_signs_in_with_its_password(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        reader = await member(make, role=Role.READ_ONLY)
        other = await member(make, "bob@shop.test", Role.READ_ONLY)
        token = await token_for(od, other)

        signed_in = await as_staff(
            od, "POST", TOKEN, token, json={"Email": "ann@shop.test", "Password": PASSWORD}
        )

        assert signed_in.status_code == 403
        by_key = await od.post(TOKEN, json={"Email": "ann@shop.test", "Password": PASSWORD})
        assert by_key.status_code == 200
        assert by_key.json()["Staff"]["InternalStaffId"] == reader

    async def test_a_wrong_password_is_a_401_writing_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await member(make)
        events = await count_rows(make, "events")

        response = await od.post(TOKEN, json={"Email": "ann@shop.test", "Password": "guess" * 3})

        assert problem(response, 401)["errors"] == {"Password": [staff_service.WRONG_PASSWORD]}
        assert await count_rows(make, "events") == events

    async def test_a_token_and_another_accounts_key_is_a_401(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        ann = await member(make)
        token = await token_for(od, ann)

        response = await od.get(STAFF, headers={KEY: other_key, **bearer(token)})

        assert (
            problem(response, 401)["detail"]
            == "the subscription key and the token are of different accounts"
        )

    async def test_naming_no_member_is_a_400_and_a_foreign_one_a_404(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        ann = await member(make)

        nameless = await od.post(TOKEN, json={"Action": "Issue"})
        foreign = await od.post(TOKEN, json={"InternalStaffId": ann}, headers={KEY: other_key})

        assert list(problem(nameless, 400)["errors"]) == ["InternalStaffId"]
        assert problem(foreign, 404)["detail"] == f"staff member {ann} not found"

    async def test_without_key_or_token_the_gateway_refuses(
        self, app_client: httpx.AsyncClient, account: NewAccount
    ) -> None:
        response = await app_client.get(STAFF)

        assert response.status_code == 401
        assert response.json()["statusCode"] == 401
