"""Taxes API (``/v1/taxes``): get, create/update and delete, end to end through HTTP."""

from typing import Any

import httpx
import pytest

from tests.dialects.orderdynamics.test_locations import problem
from tests.factories import Factory
from tests.services.checks import count_rows

TAXES = "/v1/taxes"


def tax(name: str = "ON-HST", **fields: Any) -> dict[str, Any]:
    return {"BackendName": name, "Rate": 13, "CountryCode": "ca", "State": "on", **fields}


async def put(od: httpx.AsyncClient, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
    response = await od.put(TAXES, json=body)
    assert response.status_code == status, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def written(make: Factory) -> tuple[int, int]:
    """Rows of rates, and events of the account."""
    return (await count_rows(make, "tax_rates"), await count_rows(make, "events"))


class TestCreateAndUpdate:
    async def test_a_new_backend_name_is_created_with_201_and_normalized_fields(
        self, od: httpx.AsyncClient
    ) -> None:
        body = await put(
            od,
            tax(
                ZipCodePrefix="m5v 3",
                Rate="13.0000",
                ValidFromDateTimeUtc="2026-01-01T00:00:00-05:00",
            ),
        )

        assert body.pop("CreatedDateTimeUtc") == body.pop("LastUpdatedDateTimeUtc")
        assert body == {
            "InternalTaxRateId": body["InternalTaxRateId"],
            "BackendName": "ON-HST",
            "DisplayName": "ON-HST",
            "Rate": 13.0,
            "CountryCode": "CA",
            "State": "ON",
            "ZipCodePrefix": "M5V3",
            "ValidFromDateTimeUtc": "2026-01-01T05:00:00Z",
            "ValidToDateTimeUtc": None,
        }

    async def test_the_same_backend_name_replaces_the_rate_with_200(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        first = await put(od, tax(Rate=13))

        second = await put(od, tax(Rate="14.975", State="", DisplayName="Ontario"), 200)

        assert second["InternalTaxRateId"] == first["InternalTaxRateId"]
        assert (second["Rate"], second["State"], second["DisplayName"]) == (14.975, "", "Ontario")
        assert await written(make) == (1, 2)

    async def test_an_internal_id_renames_its_rate(self, od: httpx.AsyncClient) -> None:
        first = await put(od, tax("OLD"))

        renamed = await put(od, tax("NEW", InternalTaxRateId=first["InternalTaxRateId"]), 200)
        old = await od.get(TAXES, params={"BackendName": "OLD"})

        assert renamed["BackendName"] == "NEW"
        assert problem(old, 404)["detail"] == "tax rate backend name 'OLD' not found"

    async def test_renaming_onto_another_rates_name_is_a_409_naming_the_field(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        first = await put(od, tax("A"))
        await put(od, tax("B", Rate=5))

        response = await od.put(TAXES, json=tax("B", InternalTaxRateId=first["InternalTaxRateId"]))

        assert problem(response, 409)["errors"] == {"BackendName": ["tax rate 'B' already exists"]}
        kept = (await od.get(TAXES, params={"BackendName": "A"})).json()
        assert (kept["Rate"], await written(make)) == (13.0, (2, 2))

    async def test_an_unknown_or_foreign_internal_id_is_a_404_writing_nothing(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        theirs = (
            await od.put(
                TAXES, json=tax("THEIRS"), headers={"Ocp-Apim-Subscription-Key": other_key}
            )
        ).json()

        foreign = await od.put(TAXES, json=tax(InternalTaxRateId=theirs["InternalTaxRateId"]))
        unknown = await od.put(TAXES, json=tax(InternalTaxRateId=999_999))

        assert (
            problem(foreign, 404)["detail"] == f"tax rate {theirs['InternalTaxRateId']} not found"
        )
        assert problem(unknown, 404)["detail"] == "tax rate 999999 not found"
        assert await written(make) == (0, 0)


BAD_BODIES = [
    pytest.param(tax(Rate=100.5), "Rate", id="rate above 100"),
    pytest.param(tax(Rate=-1), "Rate", id="negative rate"),
    pytest.param(tax(Rate="13.00001"), "Rate", id="rate too precise"),
    pytest.param(tax(Rate="thirteen"), "Rate", id="rate not a number"),
    pytest.param(tax(Rate="NaN"), "Rate", id="rate not finite"),
    pytest.param(tax(CountryCode="XX"), "CountryCode", id="unknown country"),
    pytest.param(tax(CountryCode="CAN"), "CountryCode", id="alpha-3 country"),
    pytest.param(tax(CountryCode=7), "CountryCode", id="country not a string"),
    pytest.param(tax(ZipCodePrefix="M5V%"), "ZipCodePrefix", id="prefix with a wildcard"),
    pytest.param(tax(BackendName=""), "BackendName", id="empty name"),
    pytest.param(tax(BackendName="x" * 65), "BackendName", id="name too long"),
    pytest.param(tax(InternalTaxRateId="1"), "InternalTaxRateId", id="id as a string"),
    pytest.param(
        tax(ValidFromDateTimeUtc="2026-02-01T00:00:00Z", ValidToDateTimeUtc="2026-01-01T00:00:00Z"),
        "ValidToDateTimeUtc",
        id="window backwards",
    ),
    pytest.param(
        tax(ValidFromDateTimeUtc="2026-02-01T00:00:00"),
        "ValidFromDateTimeUtc",
        id="time without offset",
    ),
    pytest.param({"Rate": 5, "CountryCode": "CA"}, "BackendName", id="missing name"),
    pytest.param({"BackendName": "A", "CountryCode": "CA"}, "Rate", id="missing rate"),
    pytest.param({"BackendName": "A", "Rate": 5}, "CountryCode", id="missing country"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
async def test_a_bad_body_is_a_400_naming_the_field_and_writes_nothing(
    od: httpx.AsyncClient, make: Factory, body: dict[str, Any], field: str
) -> None:
    response = await od.put(TAXES, json=body)

    assert list(problem(response, 400)["errors"]) == [field]
    assert await written(make) == (0, 0)


class TestGet:
    async def test_one_rate_by_backend_name_in_any_case_of_the_parameter(
        self, od: httpx.AsyncClient
    ) -> None:
        made = await put(od, tax())

        response = await od.get(TAXES, params={"backendname": "ON-HST"})

        assert response.status_code == 200
        assert response.json() == made

    async def test_another_accounts_rate_is_not_found(
        self, od: httpx.AsyncClient, other_key: str
    ) -> None:
        await od.put(TAXES, json=tax("THEIRS"), headers={"Ocp-Apim-Subscription-Key": other_key})

        response = await od.get(TAXES, params={"BackendName": "THEIRS"})

        assert problem(response, 404)["detail"] == "tax rate backend name 'THEIRS' not found"

    @pytest.mark.parametrize(
        ("sort", "ascending", "expected"),
        [
            (None, None, ["b", "A", "C"]),
            ("InternalTaxRateId", "false", ["C", "A", "b"]),
            ("backendname", "true", ["A", "C", "b"]),
            ("Rate", "false", ["A", "C", "b"]),
            ("CountryCode", "true", ["C", "b", "A"]),
        ],
    )
    async def test_pages_sort_by_the_documented_columns(
        self, od: httpx.AsyncClient, sort: str | None, ascending: str | None, expected: list[str]
    ) -> None:
        await put(od, tax("b", Rate=5, CountryCode="US", State=""))
        await put(od, tax("A", Rate=20, CountryCode="US", State="NY"))
        await put(od, tax("C", Rate=13, CountryCode="CA"))
        params = {k: v for k, v in (("SortByColumn", sort), ("Ascending", ascending)) if v}

        everything = (await od.get(TAXES, params=params)).json()
        first = (await od.get(TAXES, params={**params, "PageSize": 2, "PageNumber": 1})).json()

        assert [t["BackendName"] for t in everything["Items"]] == expected
        assert [t["BackendName"] for t in first["Items"]] == expected[:2]
        assert (first["TotalCount"], first["TotalPages"]) == (3, 2)

    async def test_an_unknown_sort_column_is_a_400_naming_it(self, od: httpx.AsyncClient) -> None:
        response = await od.get(TAXES, params={"SortByColumn": "Country"})

        assert list(problem(response, 400)["errors"]) == ["SortByColumn"]


class TestDelete:
    async def test_by_id_or_by_name_then_the_name_is_free(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        first = await put(od, tax("A"))
        await put(od, tax("B"))

        by_id = await od.delete(TAXES, params={"InternalTaxRateId": first["InternalTaxRateId"]})
        by_name = await od.delete(TAXES, params={"BackendName": "B"})

        assert (by_id.status_code, by_name.status_code) == (204, 204)
        assert await count_rows(make, "tax_rates") == 0
        await put(od, tax("A"))

    async def test_an_id_and_a_name_of_different_rates_is_a_404_deleting_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        first = await put(od, tax("A"))
        await put(od, tax("B"))

        response = await od.delete(
            TAXES, params={"InternalTaxRateId": first["InternalTaxRateId"], "BackendName": "B"}
        )

        assert problem(response, 404)["detail"] == (
            f"tax rate {first['InternalTaxRateId']} with backend name 'B' not found"
        )
        assert await count_rows(make, "tax_rates") == 2

    async def test_a_foreign_or_unknown_rate_is_a_404_deleting_nothing(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        theirs = {"Ocp-Apim-Subscription-Key": other_key}
        made = (await od.put(TAXES, json=tax("THEIRS"), headers=theirs)).json()

        by_id = await od.delete(TAXES, params={"InternalTaxRateId": made["InternalTaxRateId"]})
        by_name = await od.delete(TAXES, params={"BackendName": "THEIRS"})

        assert (problem(by_id, 404)["status"], problem(by_name, 404)["status"]) == (404, 404)
        still = await od.get(TAXES, params={"BackendName": "THEIRS"}, headers=theirs)
        assert still.status_code == 200

    @pytest.mark.parametrize(
        ("params", "field"),
        [({}, "InternalTaxRateId"), ({"InternalTaxRateId": "abc"}, "InternalTaxRateId"),
         ({"InternalTaxRateId": "0"}, "InternalTaxRateId")],
    )  # fmt: skip
    async def test_a_missing_or_malformed_reference_is_a_400_naming_it(
        self, od: httpx.AsyncClient, make: Factory, params: dict[str, str], field: str
    ) -> None:
        await put(od, tax())

        response = await od.delete(TAXES, params=params)

        assert list(problem(response, 400)["errors"]) == [field]
        assert await count_rows(make, "tax_rates") == 1
