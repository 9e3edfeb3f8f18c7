from sqlalchemy import select

from orderyard.domain.attribute import Attribute, OwnerType
from orderyard.domain.errors import DuplicateError, InvalidRequestError, NotFoundError
from orderyard.domain.values import AccountId, PageRequest
from orderyard.services import account as account_service
from orderyard.services import attribute as attribute_service
from orderyard.services import serial as serial_service
from orderyard.services.serial import CreateSerials, SetSerialAttributes
from orderyard.store.engine import Engines
from orderyard.store.tables import attributes, events, serials
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import Factory

LOT = (Attribute("lot", "LOT-001"),)


async def stored_serials(engines: Engines) -> list[tuple[int, str]]:
    """(item_id, serial) of every stored serial, oldest first."""
    async with engines.read.connect() as conn:
        rows = await conn.execute(
            select(serials.c.item_id, serials.c.serial).order_by(serials.c.id)
        )
        return [(row[0], row[1]) for row in rows]


async def stored_attributes(engines: Engines) -> list[tuple[str, int, str, str]]:
    """(owner_type, owner_id, name, value) of every stored attribute."""
    async with engines.read.connect() as conn:
        rows = await conn.execute(
            select(
                attributes.c.owner_type,
                attributes.c.owner_id,
                attributes.c.name,
                attributes.c.value,
            ).order_by(attributes.c.owner_id, attributes.c.name)
        )
        return [(row[0], row[1], row[2], row[3]) for row in rows]


async def event_kinds(engines: Engines) -> list[str]:
    async with engines.read.connect() as conn:
        return list((await conn.execute(select(events.c.kind).order_by(events.c.id))).scalars())


class TestCreateSerials:
    async def test_stores_every_serial_of_the_item_and_returns_their_ids(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        item_id = await make.item("PROD-001")

        [outcome] = await serial_service.create_serials(
            uow, [CreateSerials("PROD-001", ("SN001", "SN002", "SN003"))]
        )

        assert outcome.error is None
        assert outcome.serials == ("SN001", "SN002", "SN003")
        assert len(outcome.ids) == 3
        assert await stored_serials(engines) == [
            (item_id, "SN001"),
            (item_id, "SN002"),
            (item_id, "SN003"),
        ]
        assert "serials_created" in await event_kinds(engines)

    async def test_the_same_serial_may_belong_to_two_skus(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        first = await make.item("SKU-1")
        second = await make.item("SKU-2")

        outcomes = await serial_service.create_serials(
            uow, [CreateSerials("SKU-1", ("SN1",)), CreateSerials("SKU-2", ("SN1",))]
        )

        assert [o.error for o in outcomes] == [None, None]
        assert await stored_serials(engines) == [(first, "SN1"), (second, "SN1")]

    async def test_an_unknown_sku_is_refused_naming_sku_and_nothing_is_written(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        await make.item("SKU-1")

        [outcome] = await serial_service.create_serials(uow, [CreateSerials("NOPE", ("SN1",))])

        assert isinstance(outcome.error, InvalidRequestError)
        assert (outcome.error.message, outcome.error.field) == ("unknown SKU 'NOPE'", "sku")
        assert await stored_serials(engines) == []

    async def test_a_serial_already_stored_fails_the_whole_item(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        item_id = await make.item("SKU-1")
        await make.serials("SKU-1", "SN2")

        [outcome] = await serial_service.create_serials(
            uow, [CreateSerials("SKU-1", ("SN1", "SN2", "SN3"))]
        )

        assert isinstance(outcome.error, DuplicateError)
        assert outcome.error.message == "serial 'SN2' already exists for SKU 'SKU-1'"
        assert outcome.error.field == "serials[1]"
        assert (outcome.serials, outcome.ids) == ((), ())
        assert await stored_serials(engines) == [(item_id, "SN2")]

    async def test_a_serial_repeated_in_the_request_fails_the_whole_item(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        await make.item("SKU-1")

        [outcome] = await serial_service.create_serials(
            uow, [CreateSerials("SKU-1", ("SN1", "SN2", "SN1"))]
        )

        assert isinstance(outcome.error, DuplicateError)
        assert (outcome.error.message, outcome.error.field) == (
            "serial 'SN1' is given twice",
            "serials[2]",
        )
        assert await stored_serials(engines) == []

    async def test_a_blank_serial_fails_the_whole_item(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        await make.item("SKU-1")

        [outcome] = await serial_service.create_serials(uow, [CreateSerials("SKU-1", ("SN1", " "))])

        assert isinstance(outcome.error, InvalidRequestError)
        assert (outcome.error.message, outcome.error.field) == (
            "serials[1] must not be empty",
            "serials[1]",
        )
        assert await stored_serials(engines) == []

    async def test_an_empty_list_of_serials_is_refused(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        await make.item("SKU-1")

        [outcome] = await serial_service.create_serials(uow, [CreateSerials("SKU-1", ())])

        assert isinstance(outcome.error, InvalidRequestError)
        assert outcome.error.field == "serials"
        assert await stored_serials(engines) == []

    async def test_bulk_keeps_valid_items_and_reports_failing_ones(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        first = await make.item("SKU-1")
        second = await make.item("SKU-2")

        outcomes = await serial_service.create_serials(
            uow,
            [
                CreateSerials("SKU-1", ("A1", "A2")),
                CreateSerials("SKU-2", ("B1", "B1")),
                CreateSerials("NOPE", ("C1",)),
                CreateSerials("SKU-2", ("B2",)),
            ],
        )

        assert [o.error is None for o in outcomes] == [True, False, False, True]
        assert [o.index for o in outcomes] == [0, 1, 2, 3]
        assert await stored_serials(engines) == [(first, "A1"), (first, "A2"), (second, "B2")]

    async def test_a_later_item_sees_serials_an_earlier_item_of_the_call_stored(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        item_id = await make.item("SKU-1")

        outcomes = await serial_service.create_serials(
            uow, [CreateSerials("SKU-1", ("SN1",)), CreateSerials("SKU-1", ("SN2", "SN1"))]
        )

        assert outcomes[0].error is None
        assert isinstance(outcomes[1].error, DuplicateError)
        assert outcomes[1].error.field == "serials[1]"
        assert await stored_serials(engines) == [(item_id, "SN1")]

    async def test_a_sku_of_another_account_is_unknown(
        self, make: Factory, engines: Engines
    ) -> None:
        await make.item("SKU-1")
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

        [outcome] = await serial_service.create_serials(
            UnitOfWork(engines.write, AccountId(other.account_id)),
            [CreateSerials("SKU-1", ("SN1",))],
        )

        assert isinstance(outcome.error, InvalidRequestError)
        assert outcome.error.field == "sku"
        assert await stored_serials(engines) == []


class TestSetSerialAttributes:
    async def test_sets_the_attributes_on_every_serial_of_the_range(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        await make.item("PROD-001")
        ids = await make.serials("PROD-001", "SN001", "SN002", "SN010", "SN1000", "XX005")

        [outcome] = await serial_service.set_serial_attributes(
            uow, [SetSerialAttributes("PROD-001", "SN001", "SN100", LOT)]
        )

        assert (outcome.error, outcome.serials_updated) == (None, 3)
        assert await stored_attributes(engines) == [
            ("serial", serial_id, "lot", "LOT-001") for serial_id in ids[:3]
        ]
        assert (await event_kinds(engines))[-1] == "serial_attributes_set"

    async def test_setting_again_replaces_the_value_and_keeps_other_attributes(
        self, make: Factory, engines: Engines
    ) -> None:
        await make.item("SKU-1")
        [serial_id] = await make.serials("SKU-1", "SN1")
        first = SetSerialAttributes("SKU-1", "SN1", "SN1", (*LOT, Attribute("exp", "2030")))
        await serial_service.set_serial_attributes(make.uow(), [first])

        [outcome] = await serial_service.set_serial_attributes(
            make.uow(), [SetSerialAttributes("SKU-1", "SN1", "SN1", (Attribute("lot", "L2"),))]
        )

        assert outcome.serials_updated == 1
        assert await stored_attributes(engines) == [
            ("serial", serial_id, "exp", "2030"),
            ("serial", serial_id, "lot", "L2"),
        ]

    async def test_the_attributes_are_readable_on_each_serial(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.item("SKU-1")
        [serial_id] = await make.serials("SKU-1", "SN5")
        await serial_service.set_serial_attributes(
            uow, [SetSerialAttributes("SKU-1", "SN1", "SN9", LOT)]
        )

        page = await attribute_service.list_attributes(
            read_uow,
            attribute_service.OwnerRef(OwnerType.serial, str(serial_id)),
            PageRequest(1, 20),
        )

        assert [(a.name, a.value) for a in page.items] == [("lot", "LOT-001")]

    async def test_a_range_with_no_serial_is_refused_and_nothing_is_written(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        await make.item("SKU-1")
        await make.serials("SKU-1", "SN500")

        [outcome] = await serial_service.set_serial_attributes(
            uow, [SetSerialAttributes("SKU-1", "SN001", "SN100", LOT)]
        )

        assert isinstance(outcome.error, NotFoundError)
        assert outcome.error.message == (
            "no serial of SKU 'SKU-1' lies between 'SN001' and 'SN100'"
        )
        assert outcome.error.field == "serial_start"
        assert await stored_attributes(engines) == []

    async def test_start_after_end_is_refused_naming_serial_start(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        await make.item("SKU-1")
        await make.serials("SKU-1", "SN050")

        [outcome] = await serial_service.set_serial_attributes(
            uow, [SetSerialAttributes("SKU-1", "SN100", "SN001", LOT)]
        )

        assert isinstance(outcome.error, InvalidRequestError)
        assert outcome.error.field == "serial_start"
        assert await stored_attributes(engines) == []

    async def test_an_unknown_sku_is_refused_naming_sku(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        [outcome] = await serial_service.set_serial_attributes(
            uow, [SetSerialAttributes("NOPE", "SN1", "SN2", LOT)]
        )

        assert isinstance(outcome.error, InvalidRequestError)
        assert (outcome.error.message, outcome.error.field) == ("unknown SKU 'NOPE'", "sku")
        assert await stored_attributes(engines) == []

    async def test_bad_attributes_are_refused_naming_the_entry(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        await make.item("SKU-1")
        await make.serials("SKU-1", "SN1")
        repeated = (Attribute("lot", "A"), Attribute("lot", "B"))

        outcomes = await serial_service.set_serial_attributes(
            uow,
            [
                SetSerialAttributes("SKU-1", "SN1", "SN1", (Attribute("", "x"),)),
                SetSerialAttributes("SKU-1", "SN1", "SN1", (Attribute("lot", "v" * 4001),)),
                SetSerialAttributes("SKU-1", "SN1", "SN1", repeated),
                SetSerialAttributes("SKU-1", "SN1", "SN1", ()),
            ],
        )

        assert [o.error.field if o.error else None for o in outcomes] == [
            "attributes[0].attribute",
            "attributes[0].value",
            "attributes[1].attribute",
            "attributes",
        ]
        assert await stored_attributes(engines) == []

    async def test_bulk_keeps_valid_ranges_and_reports_failing_ones(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        await make.item("SKU-1")
        await make.item("SKU-2")
        [a1] = await make.serials("SKU-1", "A1")
        await make.serials("SKU-2", "B1")

        outcomes = await serial_service.set_serial_attributes(
            uow,
            [
                SetSerialAttributes("SKU-1", "A1", "A9", LOT),
                SetSerialAttributes("SKU-2", "C1", "C9", LOT),
            ],
        )

        assert [(o.serials_updated, o.error is None) for o in outcomes] == [(1, True), (0, False)]
        assert await stored_attributes(engines) == [("serial", a1, "lot", "LOT-001")]

    async def test_a_serial_of_another_sku_in_the_range_is_left_alone(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        await make.item("SKU-1")
        await make.item("SKU-2")
        [mine] = await make.serials("SKU-1", "SN1")
        await make.serials("SKU-2", "SN2")

        [outcome] = await serial_service.set_serial_attributes(
            uow, [SetSerialAttributes("SKU-1", "SN1", "SN9", LOT)]
        )

        assert outcome.serials_updated == 1
        assert await stored_attributes(engines) == [("serial", mine, "lot", "LOT-001")]
